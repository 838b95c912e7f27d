"""The bundled demo county portal (云溪县人民政府): static pages in `site/`, served by `server.py`."""
