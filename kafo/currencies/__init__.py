"""Currencies: ISO 4217 codes and the dated, sourced exchange rates to USD and XOF."""
