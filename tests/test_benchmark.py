"""The PDF benchmark measures both methods on the same file and reports pages, time and memory."""

from __future__ import annotations

from fpdf import FPDF

from pipeline.tools.benchmark import PDF_METHODS, measure


def test_pdf_benchmark_measures_each_method_on_every_page(tmp_path):
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in ("I. First meeting", "1. A recommendation.", "2. Another recommendation, longer than the first."):
        pdf.add_page()
        pdf.text(20, 30, text)
    path = tmp_path / "three.pdf"
    pdf.output(str(path))
    for method in PDF_METHODS:
        result = measure(method, path)
        assert (result["method"], result["pages"]) == (method, 3)
        assert result["seconds"] > 0 and result["peak_mb"] >= 0
