"""Spiders: one class per platform family; one spider per registry site."""
