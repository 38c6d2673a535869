"""The report templates bundled with tiercheck, installed as the package validator.templates."""
