"""The annual appendix: figures from SQL aggregates, narrative texts, and the PDF.

- `figures.compute_figures(session, year, as_of=None)`: every figure for Y and Y-1.
- `baseline`: hand-entered figures of years before records start.
- `narrative`: editable paragraphs and root-cause themes per year.
- `appendix.make_appendix(db, year, output_path)`: the PDF in one call.

Nothing here imports Qt; ReportLab is imported only by `pdf.py`.
"""
