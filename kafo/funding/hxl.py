"""The funding flows in HXL: the export's columns and their hashtags (IATI-style
transactions)."""

TRANSACTION_COLUMNS = {
    "id": "#x_transaction+id", "type": "#x_transaction+type", "date": "#date",
    "provider__name": "#org+funder+name", "receiver__name": "#org+impl+name",
    "activity": "#activity+id", "amount": "#value", "currency": "#currency",
    "rate_to_usd": "#x_rate+usd", "rate_to_xof": "#x_rate+xof", "rate_date": "#date+rate",
    "rate_source": "#meta+source+rate", "on_budget": "#indicator+onbudget",
    "humanitarian": "#indicator+humanitarian",
}  # fmt: skip
