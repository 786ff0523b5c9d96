#!/usr/bin/env python3
"""Generates the CV fixtures of services/recruiting/tests/fixtures/cv/ from the texts below:
the same Dutch CV as plain text, PDF (fpdf2) and DOCX (python-docx); a German DOCX; an English
PDF; a scanned CV (an image-only PDF); a password-protected PDF; an empty file. Invented people.

    pip install fpdf2==2.8.9 python-docx==1.2.0   # PyPI
    scripts/gen-cv-fixtures.py
"""

import io
import os

import docx
from fpdf import FPDF

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                   "services", "recruiting", "tests", "fixtures", "cv")

FATIMA = """Fatima el Amrani
fatima@example.org
+31 6 1234 5678
Kerkstraat 1, 5038 AB Tilburg

Profiel
Ervaren lasser met oog voor kwaliteit en veiligheid.

Werkervaring
jan 2019 - heden: MIG/MAG-lasser, Staalbouw Brabant BV
Lassen van constructiestaal volgens WPS, VCA-certificaat.
03/2014 - 12/2018: TIG-lasser bij RVS Techniek
TIG-lassen van RVS-leidingen en elektrodelassen op locatie.

Opleiding
MBO Metaal (niveau 4), ROC Tilburg, 2013

Talen
Nederlands: moedertaal
Engels: goed
Duits - B1
"""

JONAS = """Jonas Becker
jonas.becker@example.de
Hauptstraße 12, 80331 München

Berufserfahrung
seit 2021: Elektroniker bei Anlagenbau Süd GmbH
SPS-Programmierung mit TIA-Portal, Fehlersuche an Anlagen.
2015 - 2020: Mechatroniker, Metallbau Müller GmbH

Ausbildung
Ausbildung zum Mechatroniker, IHK München, 2015

Sprachen
Deutsch: Muttersprache
Englisch: gute Kenntnisse
"""

SAM = """Sam Okafor
sam.okafor@example.com

Work experience
2020 - present: Warehouse team lead, Northline Logistics
Forklift and reach truck, order picking with hand scanners, SAP WM.
2016 - 2019: Order picker at FreshFoods

Education
BSc Logistics Management, Fontys, 2016

Languages
English: native
Dutch: B1
"""


def pdf(text, path, protect=False):
    doc = FPDF()
    doc.add_page()
    doc.set_font("helvetica", size=11)
    if protect:
        doc.set_encryption(owner_password="owner-secret", user_password="user-secret")
    for line in text.splitlines():
        doc.cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    doc.output(path)


def docx_file(text, path):
    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    d.save(path)


def scanned(path):
    """A page that is only a picture of text, as a scanner makes it (no text layer)."""
    from PIL import Image, ImageDraw
    img = Image.new("L", (600, 200), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(FATIMA.splitlines()[:8]):
        draw.text((10, 10 + 22 * i), line, fill=0)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    doc = FPDF()
    doc.add_page()
    doc.image(buf, x=10, y=10, w=180)
    doc.output(path)


def main():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "fatima_nl.txt"), "w", encoding="utf-8") as f:
        f.write(FATIMA)
    pdf(FATIMA, os.path.join(OUT, "fatima_nl.pdf"))
    docx_file(FATIMA, os.path.join(OUT, "fatima_nl.docx"))
    docx_file(JONAS, os.path.join(OUT, "jonas_de.docx"))
    pdf(SAM, os.path.join(OUT, "sam_en.pdf"))
    scanned(os.path.join(OUT, "scanned.pdf"))
    pdf(FATIMA, os.path.join(OUT, "protected.pdf"), protect=True)
    open(os.path.join(OUT, "empty.txt"), "w").close()


if __name__ == "__main__":
    main()
