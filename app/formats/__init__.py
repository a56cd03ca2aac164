"""Formats: a report turned into a file or a picture (Markdown and plain text, CSV/XLSX tables, SVG charts, PDF).

Plain Python; the download blueprint (app/exports) and the pages serve what these make.
"""
