"""Admin units in HXL exports as HXL 1.1 writes them: one column per level
(`#adm1+code`, `#adm2+code`, `#adm3+code`, and their `+name`), filled from each unit's
ancestors, never several p-codes of mixed levels in one `#adm+code` cell."""

from kafo.geo.models import AdminUnit

GENERIC = {"#adm+code": "code", "#adm+name": "name"}


def admin_chains(pcodes: set[str]) -> dict[str, dict[int, tuple[str, str]]]:
    """Each p-code's units by level (p-code, name), itself and its ancestors, from the
    active boundaries (or the version it belongs to, when not active)."""
    units = {}
    for unit in AdminUnit.objects.without_geometry().select_related("cod_version").filter(
        pcode__in=pcodes
    ):  # fmt: skip
        if unit.pcode not in units or unit.cod_version.is_active:
            units[unit.pcode] = unit
    chains = {}
    for pcode, unit in units.items():
        chain = {}
        while unit is not None:
            if unit.level > 0:
                chain[unit.level] = (unit.pcode, unit.name)
            unit = unit.parent
        chains[pcode] = chain
    return chains


def with_admin_levels(header: list, hashtags: list, rows: list) -> tuple[list, list, list]:
    """The table with its `#adm+code` column (one or several p-codes per cell) and its
    `#adm+name` column replaced by one code and one name column per admin level."""
    if "#adm+code" not in hashtags:
        return header, hashtags, rows
    code_at = hashtags.index("#adm+code")
    pcodes = {pcode for row in rows for pcode in str(row[code_at] or "").split()}
    new_header, new_tags, convert = admin_level_columns(header, hashtags, pcodes)
    return new_header, new_tags, [convert(row) for row in rows]


def admin_level_columns(header: list, hashtags: list, pcodes: set[str]):
    """`with_admin_levels` for rows that come one at a time: the new header and hashtags,
    and the function that rewrites a row. `pcodes`: every p-code the rows may name (their
    levels make the columns)."""
    if "#adm+code" not in hashtags:
        return header, hashtags, list
    code_at = hashtags.index("#adm+code")
    name_at = hashtags.index("#adm+name") if "#adm+name" in hashtags else None
    chains = admin_chains(pcodes)
    levels = sorted({level for chain in chains.values() for level in chain}) or [1]
    keep = [i for i in range(len(hashtags)) if i not in (code_at, name_at)]
    new_header = [header[i] for i in keep]
    new_tags = [hashtags[i] for i in keep]
    code_label, name_label = header[code_at], header[name_at] if name_at is not None else ""
    for level in levels:
        new_header.append(f"{code_label} {level}")
        new_tags.append(f"#adm{level}+code")
        if name_at is not None:
            new_header.append(f"{name_label} {level}")
            new_tags.append(f"#adm{level}+name")

    def convert(row) -> list:
        codes = str(row[code_at] or "").split()
        out = [row[i] for i in keep]
        for level in levels:
            found = list(dict.fromkeys(
                chains[c][level] for c in codes if c in chains and level in chains[c]
            ))  # fmt: skip
            out.append(" ".join(pcode for pcode, _name in found))
            if name_at is not None:
                out.append(" ; ".join(name for _pcode, name in found))
        return out

    return new_header, new_tags, convert
