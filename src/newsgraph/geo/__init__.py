"""Places: an offline gazetteer, toponym resolution and where events happened (docs/geo.md)."""
