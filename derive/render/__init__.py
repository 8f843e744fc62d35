"""Files from the view model: Jinja templates for Markdown, LaTeX and SVG, the PDF, the output formats."""
