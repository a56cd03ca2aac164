"""Reports: charts and exports of an assessment (plain Python; the web layer serves them)."""
