"""A deterministic sample of the population database for development and demos.

Households of one to six people: a head, usually a spouse (Vietnamese women keep their own
family name), children carrying the father's family name. ID numbers agree with birth date
and sex; adults have a phone on a real mobile prefix; about one person in a hundred had their
birth registered abroad. The caller supplies real ward codes. Same seed, same output.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from dvc_identity.data import country_codes, mobile_prefixes, province_codes, vietnamese_names
from dvc_identity.domain.id_number import Sex, compose_id_number
from dvc_identity.domain.registry import Resident
from dvc_identity.domain.registry_csv import write_residents

HOUSEHOLD_SIZES = {1: 12, 2: 20, 3: 25, 4: 24, 5: 12, 6: 7}  # relative weights
ABROAD_SHARE = 0.01
PHONE_MIN_AGE = 15
PHONE_SHARE = 0.9


@dataclass
class _Draw:
    """The generator's state: one RNG and the numbers already handed out."""

    rng: random.Random
    today: date
    ids: set[str]
    phones: set[str]

    def birth_date(self, age: int) -> date:
        year = self.today.year - age
        start = date(year, 1, 1)
        born = start + timedelta(days=self.rng.randrange(365))
        return min(born, self.today)

    def id_number(self, born: date, sex: Sex) -> str:
        provinces, countries = sorted(province_codes()), sorted(country_codes())
        while True:
            abroad = self.rng.random() < ABROAD_SHARE
            place = self.rng.choice(countries if abroad else provinces)
            number = compose_id_number(place, born, sex, self.rng.randrange(1_000_000))
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self, born: date) -> str | None:
        if self.today.year - born.year < PHONE_MIN_AGE or self.rng.random() > PHONE_SHARE:
            return None
        prefixes = sorted(mobile_prefixes())
        while True:
            phone = self.rng.choice(prefixes) + f"{self.rng.randrange(10_000_000):07d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def name(self, family: str, sex: Sex) -> str:
        parts = vietnamese_names()
        middle = self.rng.choice(parts.middle_names[sex.value])
        return f"{family} {middle} {self.rng.choice(parts.given_names[sex.value])}"

    def family_name(self) -> str:
        names = vietnamese_names().family_names
        return self.rng.choices(list(names), weights=list(names.values()))[0]


def _household(draw: _Draw, ward: str, household_id: str) -> list[Resident]:
    rng = draw.rng
    size = rng.choices(list(HOUSEHOLD_SIZES), weights=list(HOUSEHOLD_SIZES.values()))[0]
    head_sex = Sex.MALE if rng.random() < 0.7 else Sex.FEMALE
    head_age = rng.randint(22, 85) if size > 1 else rng.randint(18, 90)
    members = [(draw.family_name(), head_sex, head_age)]
    father_family = members[0][0] if head_sex is Sex.MALE else draw.family_name()
    if size > 1:
        spouse_sex = Sex.FEMALE if head_sex is Sex.MALE else Sex.MALE
        spouse_age = max(18, head_age + rng.randint(-6, 6))
        members.append(
            (
                father_family if spouse_sex is Sex.MALE else draw.family_name(),
                spouse_sex,
                spouse_age,
            )
        )
    youngest_parent = min(age for _, _, age in members)
    for _ in range(size - len(members)):
        child_age = max(0, youngest_parent - rng.randint(18, 40))
        members.append((father_family, rng.choice((Sex.MALE, Sex.FEMALE)), child_age))
    residents = []
    for family, sex, age in members:
        born = draw.birth_date(age)
        residents.append(
            Resident(
                id_number=draw.id_number(born, sex),
                full_name=draw.name(family, sex),
                date_of_birth=born,
                sex=sex,
                ward_code=ward,
                household_id=household_id,
                phone=draw.phone(born),
            )
        )
    return residents


def generate_residents(count: int, ward_codes: Sequence[str], *, seed: int, today: date) -> list[Resident]:
    """``count`` residents spread over ``ward_codes``; ``today`` anchors ages (no clock read)."""
    if not ward_codes:
        raise ValueError("at least one ward code is needed")
    draw = _Draw(random.Random(seed), today, set(), set())
    wards = sorted(ward_codes)
    residents: list[Resident] = []
    while len(residents) < count:
        ward = draw.rng.choice(wards)
        household_id = f"HK{ward}{len(residents):08d}"
        residents.extend(_household(draw, ward, household_id))
    return residents[:count]


def write_seed_csv(
    path: str | Path, count: int, ward_codes: Sequence[str], *, seed: int, today: date
) -> Path:
    """Generate a sample and write it as the CSV the registry loader reads."""
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as out:
        write_residents(generate_residents(count, ward_codes, seed=seed, today=today), out)
    return path
