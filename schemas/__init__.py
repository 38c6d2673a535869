"""The JSON Schemas bundled with tiercheck, installed as the package validator.schemas."""
