"""The coordination analysis written the plain way, in pandas and GeoPandas: the same
definitions as kafo.analysis (see its modules' docstrings), the same output shapes.

The baseline of bench/analysis.py, and a second opinion on the engine: tests check that
both give the same results on generated scenarios. Vectorised (merges, group-bys, a
GeoPandas spatial join for distances), no loop over rows except to build the output.
"""

import datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa

from kafo.analysis.duplicates import DOUBLE_REPORTING_KEPT
from kafo.analysis.engine import EARTH_KM
from kafo.analysis.gaps import ACTIVITIES_LISTED, IMPRECISE_KEPT
from kafo.analysis.priorities import DEFAULT_WEIGHTS

MINE_ACTION = "PRO-MIN"
OPEN = ("open", "worked_on")
FAR_PAST, FAR_FUTURE = pd.Timestamp("1900-01-01"), pd.Timestamp("9999-12-31")
COMMITTED, DISBURSED = ("2", "11"), ("1", "3")


def frames(tables: dict[str, pa.Table]) -> dict[str, pd.DataFrame]:
    """The engine's Arrow tables as pandas frames (dates as timestamps)."""
    result = {}
    for name, table in tables.items():
        frame = table.to_pandas()
        for column, kind in zip(table.column_names, table.schema.types, strict=True):
            if pa.types.is_date(kind):
                frame[column] = pd.to_datetime(frame[column])
        result[name] = frame
    for name, columns in {
        "access": ["pcode", "difficulty"],
        "settlements": ["pcode", "unit", "lon", "lat", "population"],
        "needs": ["pcode", "sector", "year", "in_need", "population"],
    }.items():
        result.setdefault(name, pd.DataFrame(columns=columns))
    result["ancestors"] = ancestors(result["units"])
    return result


def ancestors(units: pd.DataFrame) -> pd.DataFrame:
    """(pcode, ancestor, ancestor_level): every unit with itself and each unit above."""
    level = units.set_index("pcode")["level"]
    parent = units.set_index("pcode")["parent"]
    chain = pd.DataFrame({"pcode": units["pcode"], "ancestor": units["pcode"]})
    found = [chain]
    while True:
        chain = pd.DataFrame({"pcode": chain["pcode"], "ancestor": chain["ancestor"].map(parent)})
        chain = chain[chain["ancestor"].notna() & chain["ancestor"].isin(level.index)]
        if chain.empty:
            break
        found.append(chain)
    result = pd.concat(found, ignore_index=True)
    result["ancestor_level"] = result["ancestor"].map(level)
    return result


def haversine(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Great-circle distance in km (the engine's formula)."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float))
                              for v in (lon1, lat1, lon2, lat2))  # fmt: skip
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_KM * np.arcsin(np.sqrt(a))


def within(left: pd.DataFrame, right: pd.DataFrame, radius_km: float) -> pd.DataFrame:
    """Pairs of rows (left index `i`, right index `j`, `km`) within the radius: a GeoPandas
    spatial join on a bound in degrees, then the great-circle distance."""
    left = left[left["lon"].notna() & left["lat"].notna()]
    right = right[right["lon"].notna() & right["lat"].notna()]
    if left.empty or right.empty:
        return pd.DataFrame({"i": [], "j": [], "km": []})
    polar = max(left["lat"].abs().max(), right["lat"].abs().max())
    bound = max(radius_km, 0.001) / (111.0 * np.cos(np.radians(min(polar, 89.0))))
    a = gpd.GeoDataFrame(geometry=gpd.points_from_xy(left["lon"], left["lat"]), index=left.index)
    b = gpd.GeoDataFrame(geometry=gpd.points_from_xy(right["lon"], right["lat"]),
                         index=right.index)  # fmt: skip
    joined = gpd.sjoin(a, b, predicate="dwithin", distance=bound * 1.5)
    i, j = joined.index.to_numpy(), joined["index_right"].to_numpy()
    distance = haversine(left.loc[i, "lon"], left.loc[i, "lat"], right.loc[j, "lon"],
                         right.loc[j, "lat"])  # fmt: skip
    keep = distance <= radius_km
    return pd.DataFrame({"i": i[keep], "j": j[keep], "km": distance[keep]})


def _running(activities, sector, start, end) -> pd.DataFrame:
    keep = pd.Series(True, index=activities.index)
    if sector is not None:
        keep &= activities["sector"] == sector
    if end is not None:
        keep &= activities["start"].isna() | (activities["start"] <= pd.Timestamp(end))
    if start is not None:
        keep &= activities["end"].isna() | (activities["end"] >= pd.Timestamp(start))
    return activities[keep]


def _at_level(frame: pd.DataFrame, t: dict, level: int, on: str = "pcode") -> pd.DataFrame:
    """`frame` with the column `unit`: the ancestor at the level of its `on` p-code."""
    up = t["ancestors"][t["ancestors"]["ancestor_level"] == level]
    up = up[["pcode", "ancestor"]].rename(columns={"pcode": "_place", "ancestor": "_unit"})
    merged = frame.merge(up, left_on=on, right_on="_place").drop(columns=["_place"])
    return merged.drop(columns=["unit"], errors="ignore").rename(columns={"_unit": "unit"})


def gaps(t: dict, level: int = 2, sector=None, start=None, end=None, threshold: float = 0.5,
         radius_km: float = 5.0) -> dict:  # fmt: skip
    """Need against response per unit of the level and sector (kafo.analysis.gaps)."""
    running = _running(t["activities"], sector, start, end)
    located = t["activity_units"][t["activity_units"]["activity_id"].isin(running["id"])]
    presence = _at_level(located, t, level)[["activity_id", "unit"]].drop_duplicates()
    shares = presence.merge(running, left_on="activity_id", right_on="id")
    places = shares.groupby("id")["unit"].transform("size")
    shares["targeted"] = shares["targeted"] / places
    shares["reached"] = shares["reached"] / places
    grouped = shares.groupby(["unit", "sector"])
    response = pd.DataFrame({
        "activities": grouped["id"].nunique(),
        "organisations": grouped["organisation"].agg(lambda v: sorted(set(v))),
        "activity_ids": grouped["id"].agg(lambda v: sorted(set(v))),
        "targeted": grouped["targeted"].sum(), "reached": grouped["reached"].sum(),
    })  # fmt: skip

    needs = t["needs"]
    needs = needs[(needs["sector"] != "") & needs["in_need"].notna()]
    if sector is not None:
        needs = needs[needs["sector"] == sector]
    if start is not None:
        needs = needs[needs["year"] >= start.year]
    if end is not None:
        needs = needs[needs["year"] <= end.year]
    placed = _at_level(needs, t, level)
    latest = placed.groupby(["unit", "sector"])["year"].transform("max")
    need = placed[placed["year"] == latest].groupby(["unit", "sector"])["in_need"].sum()

    mine = _mine_action_need(t, level, sector, end, radius_km)
    keys = sorted(set(need.index) | set(response.index)
                  | {(unit, MINE_ACTION) for unit in mine.index})  # fmt: skip
    names = t["units"].set_index("pcode")["name"]
    units = []
    for unit, sector_ in keys:
        if unit not in names.index:
            continue
        amount = int(need[(unit, sector_)]) if (unit, sector_) in need.index else None
        if (unit, sector_) in response.index:
            r = response.loc[(unit, sector_)]
            count, orgs, ids = int(r["activities"]), r["organisations"], r["activity_ids"]
            targeted, reached = float(r["targeted"]), float(r["reached"])
        else:
            count, orgs, ids, targeted, reached = 0, [], [], 0, 0
        mine_action = None
        if sector_ == MINE_ACTION:
            m = mine.loc[unit] if unit in mine.index else None
            mine_action = {
                "people_near_hazards": round(m["people"]) if m is not None else 0,
                "casualties_12_months": int(m["casualties"]) if m is not None else 0,
                "remaining_m2": round(m["remaining_m2"]) if m is not None else 0,
                "blocked_services": int(m["blockages"]) if m is not None else 0,
            }
        coverage = reached / amount if amount else None
        projected = targeted / amount if amount else None
        in_need = bool(amount) or bool(mine_action and any(mine_action.values()))
        units.append({
            "pcode": unit, "name": names[unit], "sector": sector_, "need": amount,
            "targeted": round(targeted), "reached": round(reached),
            "coverage": None if coverage is None else round(coverage, 4),
            "targeted_coverage": None if projected is None else round(projected, 4),
            "organisations": list(orgs), "activities": [int(i) for i in ids][:ACTIVITIES_LISTED],
            "activity_count": count, "mine_action": mine_action,
            "class": _class(in_need, count, coverage, threshold),
            "projected_class": _class(in_need, count, projected, threshold),
        })  # fmt: skip

    # Imprecise: running, not present at the level, every place coarser than the level.
    levels = t["units"].set_index("pcode")["level"]
    coarse = located[~located["activity_id"].isin(presence["activity_id"])].copy()
    coarse["level"] = coarse["pcode"].map(levels)
    coarse = coarse[coarse["level"].notna()]
    coarse = coarse[coarse.groupby("activity_id")["level"].transform("max") < level]
    coarse = coarse.merge(running, left_on="activity_id", right_on="id")
    imprecise = [
        {"id": int(i), "source_id": group["source_id"].iloc[0],
         "organisation": group["organisation"].iloc[0], "sector": group["sector"].iloc[0],
         "pcodes": sorted(set(group["pcode"]))}
        for i, group in coarse.groupby("activity_id", sort=True)
    ]  # fmt: skip
    return {
        "level": level,
        "units": units,
        "imprecise": imprecise[:IMPRECISE_KEPT],
        "imprecise_count": len(imprecise),
    }


def _class(need, activities, coverage, threshold) -> str:
    if need and not activities:
        return "no_presence"
    if need and coverage is not None and coverage < threshold:
        return "below_target"
    return "on_track"


def _mine_action_need(t, level, sector, end, radius_km) -> pd.DataFrame:
    """Per unit: people near open hazards, casualties in 12 months, area, blockages."""
    columns = ["people", "casualties", "remaining_m2", "blockages"]
    if sector not in (None, MINE_ACTION):
        return pd.DataFrame(columns=columns)
    until = pd.Timestamp(end or datetime.date.today())
    hazards = _at_level(t["hazards"][t["hazards"]["status"].isin(OPEN)], t, level)
    settlements = t["settlements"].copy()
    unit_people = t["units"].set_index("pcode")["population"].astype(float)
    per_unit = settlements.groupby("unit", dropna=False)["pcode"].transform("size")
    settlements["people"] = (
        settlements["population"]
        .astype(float)
        .fillna(np.floor(settlements["unit"].map(unit_people) / per_unit))
    )
    near = within(hazards.reset_index(drop=True), settlements.reset_index(drop=True), radius_km)
    near = pd.DataFrame({
        "unit": hazards["unit"].to_numpy()[near["i"].astype(int)],
        "pcode": settlements["pcode"].to_numpy()[near["j"].astype(int)],
        "people": settlements["people"].to_numpy()[near["j"].astype(int)],
    }).drop_duplicates()  # fmt: skip
    incidents = _at_level(t["incidents"], t, level)
    recent = incidents[(incidents["date"] > until - pd.Timedelta(days=365))
                       & (incidents["date"] <= until)]  # fmt: skip
    by_unit = hazards.groupby("unit")[["remaining_m2", "blockages"]].sum()
    casualties = recent.groupby("unit")["casualties"].sum()
    result = by_unit.join(casualties.rename("casualties"), how="outer")
    result["people"] = near.groupby("unit")["people"].sum()
    return result.fillna({"people": 0, "casualties": 0, "remaining_m2": 0, "blockages": 0})


def equity(t: dict, level: int = 2, sector=None, start=None, end=None, top: int = 10,
           threshold: float = 0.5, gaps_result: dict | None = None) -> dict:  # fmt: skip
    """Need share against response share per unit, Gini and Theil, the headline."""
    if gaps_result is None:
        gaps_result = gaps(t, level, sector, start, end, threshold)
    rows = pd.DataFrame(gaps_result["units"])
    rows["need"] = rows["need"].fillna(0)
    rows["present"] = rows["activities"].map(len) > 0
    units = rows.groupby("pcode", sort=True).agg(
        name=("name", "first"), need=("need", "max"), reached=("reached", "max"),
        present=("present", "any"),
    )  # fmt: skip
    total_need, total_reached = units["need"].sum(), units["reached"].sum()
    need_share = units["need"] / total_need if total_need else None
    response_share = units["reached"] / total_reached if total_reached else None
    coverages = np.minimum(
        units["reached"][units["need"] > 0] / units["need"][units["need"] > 0], 1
    )
    result_units = []
    for pcode, unit in units.iterrows():
        ns = None if need_share is None else need_share[pcode]
        rs = None if response_share is None else response_share[pcode]
        result_units.append({
            "pcode": pcode, "name": unit["name"], "need": int(unit["need"]),
            "reached": int(unit["reached"]), "present": bool(unit["present"]),
            "coverage": round(unit["reached"] / unit["need"], 4) if unit["need"] else None,
            "need_share": None if ns is None else round(ns, 4),
            "response_share": None if rs is None else round(rs, 4),
            "gap": None if ns is None else round(ns - (rs or 0), 4),
        })  # fmt: skip
    underserved = sorted((u for u in result_units if u["gap"] is not None and u["gap"] > 0),
                         key=lambda u: -u["gap"])[:top]  # fmt: skip
    areas = t["units"][t["units"]["level"] == level].set_index("pcode")["area_km2"].fillna(0)
    total_area = areas.sum()
    present = units.index[units["present"]]
    g, th = _gini(coverages.to_numpy()), _theil(coverages.to_numpy())
    return {
        "level": level, "sector": sector, "units": result_units,
        "gini": None if g is None else round(g, 4), "theil": None if th is None else round(th, 4),
        "underserved": [{"pcode": u["pcode"], "name": u["name"], "gap": u["gap"]}
                        for u in underserved],
        "territory_covered": round(areas.reindex(present).fillna(0).sum() / total_area, 4)
        if total_area else None,
        "people_in_need_covered": round(units.loc[present, "need"].sum() / total_need, 4)
        if total_need else None,
    }  # fmt: skip


def _gini(values: np.ndarray) -> float | None:
    if not len(values) or values.sum() == 0:
        return None
    ordered = np.sort(values)
    n = len(ordered)
    return float(2 * (np.arange(1, n + 1) * ordered).sum() / (n * ordered.sum()) - (n + 1) / n)


def _theil(values: np.ndarray) -> float | None:
    if not len(values) or values.sum() == 0:
        return None
    ratio = values / values.mean()
    positive = ratio[ratio > 0]
    return float((positive * np.log(positive)).sum() / len(values))


def alignment(t: dict, framework_id: int) -> dict:
    """Shares of activities and funding aligned with a framework (kafo.analysis.alignment)."""
    objectives = t["objectives"]
    mine = objectives[objectives["framework_id"] == framework_id]
    if mine.empty:
        raise ValueError(f"no objectives in framework {framework_id}")
    pillar_of = mine[mine["parent_id"].isna()][["id"]].assign(pillar=lambda f: f["id"])
    frontier = pillar_of
    while not frontier.empty:
        frontier = objectives.merge(frontier, left_on="parent_id", right_on="id",
                                    suffixes=("", "_p"))[["id", "pillar"]]  # fmt: skip
        pillar_of = pd.concat([pillar_of, frontier], ignore_index=True)
    shares = t["activity_objectives"].merge(pillar_of, left_on="objective_id", right_on="id")
    shares = shares.groupby("activity_id")["percentage"].sum() / 100
    activity_share = t["activities"]["id"].map(shares).fillna(0).clip(upper=1)

    # Untagged flows take their activity's tags.
    own_tags = t["transaction_objectives"]
    untagged = t["transactions"][~t["transactions"]["id"].isin(own_tags["transaction_id"])]
    inherited = untagged[["id", "activity_id"]].merge(t["activity_objectives"], on="activity_id")
    inherited = inherited.rename(columns={"id": "transaction_id"})[list(own_tags.columns)]
    all_tags = pd.concat([own_tags, inherited], ignore_index=True)
    tagged = all_tags.merge(pillar_of, left_on="objective_id", right_on="id")
    tagged = (tagged.groupby(["transaction_id", "pillar"])["percentage"].sum() / 100).rename(
        "share").reset_index()  # fmt: skip
    flows = t["transactions"].merge(tagged, left_on="id", right_on="transaction_id", how="left")
    flows["share"] = flows["share"].fillna(0)
    funding = {}
    for group, types in (("committed", COMMITTED), ("disbursed", DISBURSED)):
        chosen = flows[flows["type"].isin(types)]
        one = chosen.groupby("id").agg(
            amount=("amount_usd", "first"), on_budget=("on_budget", "first"), share=("share", "sum")
        )
        one["share"] = one["share"].clip(upper=1)
        total = float(one["amount"].sum())
        aligned = float((one["amount"] * one["share"]).sum())
        on_budget = float(one.loc[one["on_budget"].astype(bool), "amount"].sum())
        funding[group] = {
            "total_usd": round(total, 2), "aligned_usd": round(aligned, 2),
            "aligned_share": round(aligned / total, 4) if total else None,
            "on_budget_share": round(on_budget / total, 4) if total else None,
        }  # fmt: skip
    pillars = []
    targets = mine.merge(pillar_of, on="id").groupby("pillar")["budget_target_usd"].sum(min_count=1)
    for _, pillar in mine[mine["parent_id"].isna()].sort_values("code").iterrows():
        own = flows[flows["pillar"] == pillar["id"]]
        committed = float((own["amount_usd"] * own["share"])[own["type"].isin(COMMITTED)].sum())
        disbursed = float((own["amount_usd"] * own["share"])[own["type"].isin(DISBURSED)].sum())
        target = targets.get(pillar["id"])
        target = None if target is None or pd.isna(target) else float(target)
        pillars.append({
            "id": int(pillar["id"]), "code": pillar["code"], "title": pillar["title"],
            "committed_usd": round(committed, 2), "disbursed_usd": round(disbursed, 2),
            "target_usd": target,
            "committed_of_target": round(committed / target, 4) if target else None,
        })  # fmt: skip
    unaligned = flows[~flows["id"].isin(flows.loc[flows["pillar"].notna(), "id"])]
    unaligned = unaligned.sort_values(["amount_usd", "id"], ascending=[False, True])
    count = len(activity_share)
    aligned_activities = float(activity_share.sum())
    return {
        "framework": {"id": framework_id, "name": mine["framework"].iloc[0]},
        "activities": {"count": count, "aligned": round(aligned_activities, 2),
                       "aligned_share": round(aligned_activities / count, 4) if count else None},
        "funding": funding,
        "flows_pending_conversion": int(flows.loc[flows["amount_usd"].isna(), "id"].nunique()),
        "pillars": pillars,
        "unaligned": [
            {"id": int(row.id), "type": row.type, "provider": row.provider,
             "receiver": row.receiver, "date": row.date.date().isoformat()
             if not pd.isna(row.date) else None, "amount_usd": round(row.amount_usd, 2),
             "description": row.description}
            for row in unaligned.itertuples()
        ],
    }  # fmt: skip


def priorities(t: dict, as_of: datetime.date, level: int = 2, radius_km: float = 5.0,
               weights: dict | None = None) -> dict:  # fmt: skip
    """The multi-criteria score per open hazard and per unit (kafo.analysis.priorities)."""
    weights = {n: float((weights or DEFAULT_WEIGHTS).get(n, 0)) for n in DEFAULT_WEIGHTS}
    until = pd.Timestamp(as_of)
    hazards = t["hazards"][t["hazards"]["status"].isin(OPEN)].reset_index(drop=True)
    incidents = t["incidents"]
    incidents = incidents[(incidents["date"] > until - pd.Timedelta(days=365))
                          & (incidents["date"] <= until)].reset_index(drop=True)  # fmt: skip
    settlements = t["settlements"].reset_index(drop=True)
    near_incidents = within(hazards, incidents, radius_km)
    near_casualties = incidents["casualties"].to_numpy()[near_incidents["j"].astype(int)]
    casualties = pd.Series(near_casualties, index=near_incidents["i"].astype(int))
    casualties = casualties.groupby(level=0).sum()
    near_settlements = within(hazards, settlements, radius_km)
    settled = near_settlements.groupby("i").size()

    anc = t["ancestors"].merge(
        t["units"][["pcode", "level", "population"]],
        left_on="ancestor",
        right_on="pcode",
        suffixes=("", "_u"),
    )
    anc = anc[anc["population"].notna()].sort_values(["pcode", "level"])
    finest_population = anc.groupby("pcode")["population"].last()
    access = t["access"].merge(t["ancestors"], left_on="pcode", right_on="ancestor",
                               suffixes=("_x", ""))  # fmt: skip
    difficulty = access.groupby("pcode")["difficulty"].max()

    def reach(pcodes: pd.Series) -> np.ndarray:
        return 1 - pcodes.map(difficulty).fillna(0).clip(0, 1).to_numpy()

    hazard_values = pd.DataFrame({
        "casualties": casualties.reindex(hazards.index).fillna(0).astype(int).to_numpy(),
        "population": hazards["pcode"].map(finest_population).fillna(0).astype(int).to_numpy(),
        "settlements": settled.reindex(hazards.index).fillna(0).astype(int).to_numpy(),
        "blockages": hazards["blockages"].fillna(0).astype(int).to_numpy(),
        "access": reach(hazards["pcode"]),
    })  # fmt: skip
    ranked_hazards = _ranked(hazard_values, weights, hazards["reference"], "reference",
                             {"pcode": hazards["pcode"]})  # fmt: skip

    units = t["units"][t["units"]["level"] == level].set_index("pcode")
    with_hazards = _at_level(hazards, t, level)
    units = units[units.index.isin(with_hazards["unit"])]
    unit_values = pd.DataFrame({
        "casualties": _at_level(incidents, t, level).groupby("unit")["casualties"].sum()
        .reindex(units.index).fillna(0).astype(int),
        "population": units["population"].fillna(0).astype(int),
        "settlements": _at_level(settlements, t, level, on="unit").groupby("unit").size()
        .reindex(units.index).fillna(0).astype(int),
        "blockages": with_hazards.groupby("unit")["blockages"].sum().reindex(units.index)
        .fillna(0).astype(int),
        "access": reach(units.index.to_series()),
    }).reset_index(drop=True)  # fmt: skip
    ranked_units = _ranked(unit_values, weights, units.index.to_series(), "pcode",
                           {"name": units["name"]})  # fmt: skip
    return {
        "weights": weights, "as_of": as_of.isoformat(), "radius_km": radius_km, "level": level,
        "hazards": ranked_hazards, "units": ranked_units,
    }  # fmt: skip


def _ranked(values: pd.DataFrame, weights: dict, keys: pd.Series, key: str,
            extra: dict[str, pd.Series]) -> list[dict]:  # fmt: skip
    top = values.max()
    scaled = pd.DataFrame(
        {
            name: weights[name] * (values[name] / top[name] if top[name] else 0 * values[name])
            for name in weights
        }
    )
    # Python's round (to the nearest decimal), as the engine rounds; numpy's differs at halves.
    contributions = scaled.map(lambda x: round(x, 4))
    score = contributions.sum(axis=1).map(lambda x: round(x, 4))
    order = pd.DataFrame({"score": -score.to_numpy(), "key": keys.to_numpy()}).sort_values(
        ["score", "key"], kind="stable").index  # fmt: skip
    rows = []
    extras = {name: series.to_numpy() for name, series in extra.items()}
    keys_ = keys.to_numpy()
    value_rows = values.to_dict("records")
    contribution_rows = contributions.to_dict("records")
    for rank, i in enumerate(order, start=1):
        row = {key: keys_[i]}
        row.update({name: extras[name][i] for name in extras})
        row["values"] = value_rows[i]
        row["contributions"] = contribution_rows[i]
        row["score"] = float(score.iloc[i])
        row["rank"] = rank
        rows.append(row)
    return rows


def duplicates(t: dict, radius_km: float = 5.0, start=None, end=None, sector=None) -> dict:
    """Overlapping activity records grouped into clusters (kafo.analysis.duplicates)."""
    activities = t["activities"]
    candidates = _running(activities[activities["activity_type"].fillna("") != ""], sector,
                          start, end).set_index("id")  # fmt: skip
    # Places that meet: b's unit is a's unit or one above it.
    units = t["activity_units"][t["activity_units"]["activity_id"].isin(candidates.index)]
    units = units.assign(activity_type=units["activity_id"].map(candidates["activity_type"]))
    up = units.merge(t["ancestors"][["pcode", "ancestor"]], on="pcode")
    met = up.merge(units, left_on=["ancestor", "activity_type"],
                   right_on=["pcode", "activity_type"], suffixes=("_a", "_b"))  # fmt: skip
    met = met[met["activity_id_a"] != met["activity_id_b"]]
    # Periods that overlap (before the pairs are grouped, to keep the table small).
    sa = met["activity_id_a"].map(candidates["start"])
    ea = met["activity_id_a"].map(candidates["end"])
    sb = met["activity_id_b"].map(candidates["start"])
    eb = met["activity_id_b"].map(candidates["end"])
    met = met[(sa.isna() | eb.isna() | (sa <= eb)) & (sb.isna() | ea.isna() | (sb <= ea))]
    met["place"] = np.where(met["pcode_a"] == met["pcode_b"], 1.0, 0.5)
    met = met.rename(columns={"activity_id_a": "x", "activity_id_b": "y"})[["x", "y", "place"]]
    # Points within the radius, type by type.
    points = t["activity_points"][t["activity_points"]["activity_id"].isin(candidates.index)]
    points = points.assign(activity_type=points["activity_id"].map(candidates["activity_type"]))
    near = []
    for _, same_type in points.groupby("activity_type"):
        same_type = same_type.reset_index(drop=True)
        found = within(same_type, same_type, radius_km)
        ids = same_type["activity_id"].to_numpy()
        near.append(pd.DataFrame({"x": ids[found["i"].astype(int)],
                                  "y": ids[found["j"].astype(int)],
                                  "place": np.where(found["km"] <= 1, 1.0, 0.5)}))  # fmt: skip
    met = pd.concat([met, *near], ignore_index=True)
    met = met[met["x"] != met["y"]]
    kind = candidates["activity_type"]
    met = met[met["x"].map(kind).to_numpy() == met["y"].map(kind).to_numpy()]
    met["a"] = np.minimum(met["x"], met["y"])
    met["b"] = np.maximum(met["x"], met["y"])
    pairs = met.groupby(["a", "b"], as_index=False)["place"].max()
    ca = candidates.loc[pairs["a"]].reset_index()
    cb = candidates.loc[pairs["b"]].reset_index()
    overlap = ((ca["start"].isna() | cb["end"].isna() | (ca["start"] <= cb["end"]))
               & (cb["start"].isna() | ca["end"].isna() | (cb["start"] <= ca["end"])))  # fmt: skip
    pairs, ca, cb = pairs[overlap.to_numpy()].reset_index(drop=True), ca[overlap], cb[overlap]
    ca, cb = ca.reset_index(drop=True), cb.reset_index(drop=True)
    pairs["same_organisation"] = (ca["organisation"] == cb["organisation"]).to_numpy()
    pairs["groups_overlap"] = [
        not len(x) or not len(y) or bool(set(x) & set(y))
        for x, y in zip(ca["groups"], cb["groups"], strict=True)
    ]
    start_a = ca["start"].fillna(cb["start"]).fillna(FAR_PAST)
    start_b = cb["start"].fillna(ca["start"]).fillna(FAR_PAST)
    end_a = ca["end"].fillna(cb["end"]).fillna(FAR_FUTURE)
    end_b = cb["end"].fillna(ca["end"]).fillna(FAR_FUTURE)
    common = (np.minimum(end_a, end_b) - np.maximum(start_a, start_b)).dt.days + 1
    shorter = np.minimum((ca["end"].fillna(FAR_FUTURE) - start_a).dt.days + 1,
                         (cb["end"].fillna(FAR_FUTURE) - start_b).dt.days + 1)  # fmt: skip
    time = np.maximum(common, 0) / np.maximum(shorter, 1)
    both_open = ((ca["start"].isna() | cb["start"].isna())
                 & (ca["end"].isna() | cb["end"].isna()))  # fmt: skip
    pairs["time"] = np.where(both_open, 1.0, time)
    pairs["score"] = (pairs["place"] + np.minimum(pairs["time"], 1)
                      + pairs["groups_overlap"].astype(float)) / 3  # fmt: skip

    # Connected components: each record takes the smallest id it can reach.
    ids = np.unique(np.concatenate([pairs["a"], pairs["b"]]))
    a = np.searchsorted(ids, pairs["a"])
    b = np.searchsorted(ids, pairs["b"])
    label = ids.copy()
    while True:
        new = label.copy()
        np.minimum.at(new, a, label[b])
        np.minimum.at(new, b, label[a])
        if (new == label).all():
            break
        label = new
    cluster_of = pd.Series(label, index=ids)
    pairs["cluster"] = pairs["a"].map(cluster_of)
    members = activities.set_index("id").loc[ids].reset_index()
    members["cluster"] = label
    members["record"] = members["source_id"].where(members["source_id"].fillna("") != "",
                                                   "kafo:" + members["id"].astype(str))  # fmt: skip
    located = t["activity_units"].merge(members[["id", "cluster"]], left_on="activity_id",
                                        right_on="id")  # fmt: skip
    pcodes = located.groupby("cluster")["pcode"].agg(lambda v: sorted(set(v)))
    by_cluster = pairs.groupby("cluster").agg(likely=("groups_overlap", "any"),
                                              score=("score", "max"))  # fmt: skip
    grouped = members.groupby("cluster")
    summary = pd.DataFrame({
        "records": grouped["record"].agg(lambda v: sorted(set(v))),
        "ids": grouped["id"].agg(lambda v: sorted(set(v))),
        "organisations": grouped["organisation"].agg(lambda v: sorted(set(v))),
        "activity": grouped["activity_type"].first(),
        "start": grouped["start"].min(),
        "end": grouped["end"].max().where(~grouped["end"].agg(lambda v: v.isna().any())),
    }).join(by_cluster)  # fmt: skip
    summary["sort_score"] = -summary["score"]
    summary = summary.reset_index().sort_values(["sort_score", "cluster"])
    clusters = [
        {"records": list(row.records), "ids": [int(i) for i in row.ids],
         "organisations": list(row.organisations), "activity": row.activity,
         "pcodes": pcodes.get(row.cluster, []),
         "period": {"start": None if pd.isna(row.start) else row.start.date().isoformat(),
                    "end": None if pd.isna(row.end) else row.end.date().isoformat()},
         "kind": "likely_duplicate" if row.likely else "complementary",
         "score": round(row.score, 3)}
        for row in summary.itertuples()
    ]  # fmt: skip
    same = pairs[pairs["same_organisation"]].sort_values(["a", "b"])
    source = activities.set_index("id")["source_id"]
    double = [
        {"records": [source[x] or f"kafo:{x}", source[y] or f"kafo:{y}"],
         "organisation": candidates.loc[x, "organisation"]}
        for x, y in zip(same["a"], same["b"], strict=True)
    ]  # fmt: skip
    # The engine lists the first DOUBLE_REPORTING_KEPT pairs (by record id) and counts all.
    return {"clusters": clusters, "double_reporting": double[:DOUBLE_REPORTING_KEPT],
            "double_reporting_count": len(double)}  # fmt: skip
