"""The program policy files bundled with tiercheck, installed as the package validator.policy."""
