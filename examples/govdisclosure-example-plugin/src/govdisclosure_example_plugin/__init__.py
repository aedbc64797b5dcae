"""Template specs for govdisclosure; the YAML files beside this file are the plugin."""
