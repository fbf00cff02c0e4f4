"""Files in and out: safe YAML and JSON reading, limits, line numbers, private atomic writes."""
