//! Hostile documents for tests, written byte by byte: PDFs and DOCX files whose streams
//! inflate to hundreds of megabytes, and how much memory the process has peaked at.

/// Deflate bits, least significant first as RFC 1951 packs them.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits {
    fn push(&mut self, value: u32, len: u32) {
        self.acc |= u64::from(value) << self.n;
        self.n += len;
        while self.n >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n -= 8;
        }
    }

    /// A Huffman code goes in most significant bit first.
    fn push_code(&mut self, code: u32, len: u32) {
        self.push(code.reverse_bits() >> (32 - len), len);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.n > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// A raw deflate stream of `1 + 258 * copies` zero bytes: one literal, then back-references
/// of the longest length (13 bits for 258 bytes), so 200 MB cost 1.3 MB.
pub fn deflated_zeros(copies: usize) -> Vec<u8> {
    let mut bits = Bits::default();
    bits.push(1, 1); // last block
    bits.push(1, 2); // fixed Huffman codes
    bits.push_code(0x30, 8); // literal 0
    for _ in 0..copies {
        bits.push_code(0xC5, 8); // length 258 (symbol 285)
        bits.push_code(0, 5); // distance 1
    }
    bits.push_code(0, 7); // end of block
    bits.finish()
}

/// The zlib stream (as PDF's FlateDecode has it) of `deflated_zeros(copies)`.
pub fn zlib_zeros(copies: usize) -> Vec<u8> {
    let len = 1 + 258 * copies as u64;
    // Adler-32 of zeros: a stays 1, b grows by one a byte.
    let adler = (((len % 65521) as u32) << 16) | 1;
    let mut out = vec![0x78, 0x01];
    out.extend(deflated_zeros(copies));
    out.extend(adler.to_be_bytes());
    out
}

/// Copies of 258 bytes making up about `megabytes` MB.
pub fn copies_for(megabytes: usize) -> usize {
    megabytes * 1024 * 1024 / 258
}

/// A PDF of the given object bodies (object `i + 1` is `objects[i]`; 1 is the catalog).
pub fn pdf(objects: &[Vec<u8>]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend(body);
        out.extend(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for o in offsets {
        out.extend(format!("{o:010} 00000 n \n").as_bytes());
    }
    let size = objects.len() + 1;
    out.extend(format!("trailer\n<< /Size {size} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n").as_bytes());
    out
}

/// A stream object's body.
pub fn stream(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut out = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    out.extend(data);
    out.extend(b"\nendstream");
    out
}

/// A PDF whose `pages` pages all draw `content` (a stream body) in Helvetica.
pub fn pdf_with_pages(pages: usize, content: Vec<u8>) -> Vec<u8> {
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", 5 + i)).collect();
    let mut objects = vec![
        b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
        format!("<< /Type /Pages /Kids [{}] /Count {pages} >>", kids.join(" ")).into_bytes(),
        content,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_vec(),
    ];
    for _ in 0..pages {
        objects.push(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"
                .to_vec(),
        );
    }
    pdf(&objects)
}

/// A ZIP with one deflated entry `name`, declaring `declared` bytes unpacked.
pub fn zip(name: &str, deflated: &[u8], declared: u32) -> Vec<u8> {
    let n = name.len() as u16;
    let size = deflated.len() as u32;
    // The CRC is left 0: readers check it only at the end of the entry, which a bounded read
    // of a bomb never reaches.
    let entry = |sig: u32, central: bool| {
        let mut h = sig.to_le_bytes().to_vec();
        if central {
            h.extend(20u16.to_le_bytes());
        }
        for v in [20u16, 0, 8, 0, 0] {
            h.extend(v.to_le_bytes());
        }
        for v in [0u32, size, declared] {
            h.extend(v.to_le_bytes());
        }
        h.extend(n.to_le_bytes());
        h.extend(0u16.to_le_bytes());
        if central {
            for v in [0u16, 0, 0] {
                h.extend(v.to_le_bytes());
            }
            h.extend(0u32.to_le_bytes());
            h.extend(0u32.to_le_bytes()); // local header at 0
        }
        h.extend(name.as_bytes());
        h
    };
    let mut out = entry(0x0403_4b50, false);
    out.extend(deflated);
    let central_at = out.len() as u32;
    let central = entry(0x0201_4b50, true);
    let central_len = central.len() as u32;
    out.extend(central);
    out.extend(0x0605_4b50u32.to_le_bytes());
    for v in [0u16, 0, 1, 1] {
        out.extend(v.to_le_bytes());
    }
    out.extend(central_len.to_le_bytes());
    out.extend(central_at.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// The most memory the process has held (VmHWM), where the system tells.
pub fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kb| kb * 1024)
}
