//! The three languages hrmesh speaks: skills uses the kit's one [`Locale`](hrmesh_kit::locale::Locale).

pub use hrmesh_kit::locale::Locale as Lang;
