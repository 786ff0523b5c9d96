#!/usr/bin/env python3
"""Writes the handbook fixtures the self-service tests upload: a German DOCX with headings
(WordprocessingML, as Word saves it) and an English PDF with a text layer (Helvetica, one page).
Standard library only; rerun after changing the texts below."""
import pathlib
import zipfile

OUT = pathlib.Path(__file__).resolve().parent.parent / "integration-tests/tests/fixtures"

DE = [
    ("Heading1", "Mitarbeiterhandbuch"),
    (None, "Willkommen bei Acme. Dieses Handbuch gilt für alle Beschäftigten in Deutschland."),
    ("Heading2", "Homeoffice"),
    (None, "Du darfst an zwei Tagen pro Woche im Homeoffice arbeiten. Sprich die Tage mit deiner Führungskraft ab."),
    ("Heading2", "Dienstwagen"),
    (None, "Ein Dienstwagen steht Beschäftigten im Außendienst zu. Private Fahrten werden nach der 1-Prozent-Regel versteuert."),
]

EN = [
    "Employee Handbook",
    "Bicycle allowance",
    "Employees who cycle to work receive a bicycle allowance of 0.23 euro per kilometre.",
    "Claim it monthly through the expenses form.",
]


def docx(path, paragraphs):
    def para(style, text):
        ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        text = text.replace("&", "&amp;").replace("<", "&lt;")
        return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'

    body = "".join(para(s, t) for s, t in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/word/document.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("word/document.xml", document)


def pdf(path, lines):
    ops = ["BT", "/F1 12 Tf", "16 TL", "72 760 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops += [f"({escaped}) Tj", "T*", "T*"]
    ops.append("ET")
    content = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    docx(OUT / "handbook_de.docx", DE)
    pdf(OUT / "handbook_en.pdf", EN)
    print(f"wrote {OUT}/handbook_de.docx and handbook_en.pdf")
