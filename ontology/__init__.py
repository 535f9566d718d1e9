"""The kg ontology and SHACL shapes, shipped as package data (importable as kg_ontology)."""
