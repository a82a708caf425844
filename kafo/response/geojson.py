"""Points on the response maps."""


def point_feature(lon: float, lat: float, properties: dict, generalised: bool) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
        "properties": {**properties, "generalised": generalised},
    }
