#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets (fuzz/seeds/<target>/) from invented text only.

Run from anywhere: python3 fuzz/seeds/make_seeds.py. Deterministic (same bytes every run).
Every name, place and number below is made up for these seeds; none comes from a dossier or
from any evaluation corpus.
"""
import base64
import io
import os
import struct
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "src", "age-fixture", "fixture.age")


def put(target, name, data):
    d = os.path.join(HERE, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


REPORT = (
    "Rapportage 14-02-2023\n"
    "Cliënt: Jorien Vermaak\n"
    "Geboortedatum: 03-07-1991\n"
    "BSN: 111222333\n"
    "Adres: Lindelaan 12, 3712 AB Zeist\n"
    "Telefoon: 06-12345678\n"
    "Mevrouw Vermaak was onrustig na het bezoek van haar broer Gijs. Begeleider Sanne de Wit\n"
    "heeft met haar gewandeld. Overleg met dhr. T. Okafor (gedragsdeskundige) op 3 maart 2023.\n"
    "E-mail: s.dewit@voorbeeldzorg.nl, IBAN NL91ABNA0417164300.\n"
)

# --- extract: text, EML, DOCX as raw bytes -------------------------------------------------
put("extract", "utf8.txt", REPORT.encode())
put("extract", "crlf-bom.txt", b"\xef\xbb\xbf" + REPORT.replace("\n", "\r\n").encode())
put("extract", "cp1252.txt", REPORT.encode("cp1252"))
put("extract", "utf16le.txt", b"\xff\xfe" + REPORT.encode("utf-16-le"))
put("extract", "ligatures.txt", "e\ufb01n \ufb02ink\u00a0stuk \u2460 caf\u0065\u0301\n\f\tpagina 2\n".encode())
put(
    "extract",
    "plain.eml",
    (
        "From: =?utf-8?q?Sanne_de_Wit?= <s.dewit@voorbeeldzorg.nl>\r\n"
        "To: Gijs Vermaak <gijs@example.org>\r\n"
        "Cc: team@voorbeeldzorg.nl\r\n"
        "Subject: =?iso-8859-1?q?Verslag_cli=EBnt?=\r\n"
        "Date: Thu, 24 Feb 2022 16:43:00 +0100\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
        "Beste Gijs,=0D=0A=0D=0AJorien woont nu op de Esdoorn in Zeist. Caf=C3=A9 om 10 uur.\r\n"
    ).encode(),
)
put(
    "extract",
    "multipart.eml",
    (
        "From: a@example.org\r\nSubject: x\r\nDate: 1 Jan 2000 00:05 -0000\r\n"
        "Content-Type: multipart/mixed; boundary=\"B1\"\r\n\r\n"
        "--B1\r\nContent-Type: multipart/alternative; boundary=\"B2\"\r\n\r\n"
        "--B2\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.b64encode(
            "<html><head><style>p{}</style></head><body><p>Hallo&nbsp;Jorien &amp; Gijs</p>"
            "<table><tr><td>a</td><td>b</td></tr></table><script>x()</script>caf&eacute;<br>&#233;</body></html>".encode()
        ).decode()
        + "\r\n--B2--\r\n"
        "--B1\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"a.txt\"\r\n\r\nbijlage\r\n"
        "--B1--\r\n"
    ).encode(),
)

DOCX_XML = (
    '<?xml version="1.0"?><w:document xmlns:w="w"><w:body>'
    '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
    "<w:r><w:t>Cliënt: Jorien Vermaak</w:t></w:r><w:r><w:tab/><w:t xml:space=\"preserve\"> &amp; &#233;&#x20AC;</w:t></w:r></w:p>"
    "<w:p><w:r><w:delText>weg</w:delText><w:instrText>PAGE</w:instrText><w:t>Rapportage</w:t><w:br/><w:cr/>"
    "<w:t><![CDATA[ruw <tekst>]]></w:t></w:r></w:p><!-- opmerking -->"
    '<w:p><w:r><w:br w:type="page"/><w:t>Pagina twee met Sanne de Wit.</w:t></w:r></w:p><w:p/>'
    "</w:body></w:document>"
)


def docx(xml, compress=zipfile.ZIP_DEFLATED, extra=True):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compress) as z:
        for name in (["[Content_Types].xml"] if extra else []):
            zi = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            z.writestr(zi, "<Types/>")
        zi = zipfile.ZipInfo("word/document.xml", date_time=(2020, 1, 1, 0, 0, 0))
        zi.compress_type = compress
        z.writestr(zi, xml)
    return buf.getvalue()


put("extract", "doc.docx", docx(DOCX_XML))
put("extract", "stored.docx", docx(DOCX_XML, zipfile.ZIP_STORED, extra=False))

# --- extract_docx: flag byte + document.xml -------------------------------------------------
put("extract_docx", "full-deflated", bytes([1 | 2]) + DOCX_XML.encode())
put("extract_docx", "full-stored", bytes([0]) + DOCX_XML.encode())
put("extract_docx", "run-text", bytes([4 | 1]) + "Jorien &amp; Gijs &#x1F600; &lt;x&gt;".encode())
put("extract_docx", "styles", bytes([8 | 2]) + DOCX_XML.encode())


# --- extract_pdf: small hand-made PDFs ------------------------------------------------------
def pdf(pages, compress=False, extra_objs=()):
    """pages: list of content-stream byte strings. Helvetica (standard 14) font."""
    objs = []
    n_pages = len(pages)
    # 1 catalog, 2 pages, 3 font, then per page: page obj, content obj
    kids = " ".join(f"{4 + 2 * i} 0 R" for i in range(n_pages))
    objs.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objs.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    objs.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    for i, content in enumerate(pages):
        objs.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * i} 0 R >>".encode()
        )
        if compress:
            data = zlib.compress(content)
            objs.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
        else:
            objs.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objs.extend(extra_objs)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        out += f"{i + 1} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def page(lines, footer=None):
    ops = [b"BT /F1 11 Tf"]
    y = 780
    for line in lines:
        ops.append(b"1 0 0 1 72 %d Tm (%s) Tj" % (y, line.encode("cp1252")))
        y -= 14
    if footer:
        ops.append(b"1 0 0 1 72 40 Tm (%s) Tj" % footer.encode("cp1252"))
    ops.append(b"ET")
    return b"\n".join(ops)


put("extract_pdf", "one-page.pdf", pdf([page(REPORT.splitlines())]))
put(
    "extract_pdf",
    "three-pages-footer.pdf",
    pdf(
        [
            page(["Afgedrukt door S. de Wit", f"Rapportage dag {i}", "Jorien was rustig vandaag en at goed."], f"pagina {i} van 3")
            for i in (1, 2, 3)
        ],
        compress=True,
    ),
)
put(
    "extract_pdf",
    "tj-spacing.pdf",
    pdf(
        [
            b"BT /F1 12 Tf 72 700 Td [(Cli) -20 (\\353nt) -400 (Jorien)] TJ 0 -14 Td (Vermaak) Tj "
            b"2 0 0 2 72 600 Tm (groot) Tj 0.5 0 0 0.5 300 600 Tm (klein) Tj T* (volgende) Tj "
            b"1 0 0 1 72 500 Tm 3 Tr (onzichtbaar) Tj 0 Tr 10 Tc 5 Tw (ruim gespatieerd) Tj ET"
        ]
    ),
)

# --- age_open: mode byte, limit byte, rest --------------------------------------------------
with open(FIXTURE, "rb") as f:
    fixture = f.read()
header_end = fixture.index(b"\n---") + 1
header_end = fixture.index(b"\n", header_end) + 1
put("age_open", "valid-untouched", bytes([4, 3]))
put("age_open", "valid-one-flip", bytes([4, 3, 200, 1]))
put("age_open", "valid-truncated", bytes([4, 4, 128]))
put("age_open", "raw-fixture", bytes([0, 2]) + fixture)
put("age_open", "armored-fixture", bytes([2, 3]) + fixture)
put("age_open", "armor-lines", bytes([1, 3]) + base64.b64encode(fixture))
put("age_open", "header-payload", bytes([3, 3]) + fixture[header_end:])
put("age_open", "not-age", bytes([0, 3]) + b"gewoon tekst, geen age\n")

# --- deidentify / deidentify_names ------------------------------------------------------------
MAIL = (
    "Van: Sanne de Wit <s.dewit@voorbeeldzorg.nl>\nAan: Gijs Vermaak\n\nBeste Gijs,\n"
    "Jorien woont sinds 1 april 2022 op De Esdoorn in Zeist, Lindelaan 12.\n"
    "Met vriendelijke groet,\nSanne de Wit\nZorggroep Voorbeeld\n"
)
MDO = (
    "MDO-verslag 4 april 2023\nAanwezig: Sanne de Wit (begeleider), T. Okafor (gedragsdeskundige), "
    "mevrouw Vermaak (moeder).\nWijnands, Tim belde over Jorien's medicatie (quetiapine 50 mg).\n"
    "Cliëntnummer: 88-1234. Tel. 030-1234567. Postcode 3712AB.\n"
)
put("deidentify", "report", REPORT.encode())
put("deidentify", "case", REPORT.encode() + b"\xff" + MAIL.encode() + b"\xff" + MDO.encode())
put("deidentify", "glued", "wereldHallo JorienVermaak\u00e9\u0301 'tHoen ’t Hart O’Neill\tvan der\nBerg\n".encode())
put("deidentify_names", "report", bytes([0x10, 0x20, 0x30, 0x40, 0, 128]) + REPORT.encode())
put("deidentify_names", "case", bytes([0x99, 0x01, 0x55, 0xA0, 2, 40]) + MDO.encode() + b"\xff" + MAIL.encode())
put("deidentify_names", "empty", bytes([1, 2, 3, 4, 3, 0]))
