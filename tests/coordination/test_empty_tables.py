"""With no record yet, the engine's tables are empty, in the data contract's shape."""

import pyarrow as pa

from kafo.analysis.engine import TABLES
from kafo.coordination.source import arrow_tables


def test_no_record_gives_empty_tables_of_the_contracts_shape(db):
    tables = arrow_tables()
    for name, columns in TABLES.items():
        assert tables[name].num_rows == 0 or name in ("units", "settlements"), name
        assert tables[name].schema == pa.schema(columns), name
