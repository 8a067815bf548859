"""Reference data every archive needs: countries, issuers, Japan's administrations."""

from importlib.resources import files

from django.db import migrations

ISSUERS = [
    ("Prime Minister's Office of Japan", "Kantei", "kantei", "JP"),
    ("Ministry of Foreign Affairs of Japan", "MOFA", "mofa", "JP"),
    ("The White House", "White House", "white-house", "US"),
]

# (ordinal, family name, given name, first day, last day): the prime
# ministers of Japan from the 87th administration on. A term ends the day
# its successor's begins.
ADMINISTRATIONS = [
    (87, "KOIZUMI", "Junichiro", "2001-04-26", "2003-11-19"),
    (88, "KOIZUMI", "Junichiro", "2003-11-19", "2005-09-21"),
    (89, "KOIZUMI", "Junichiro", "2005-09-21", "2006-09-26"),
    (90, "ABE", "Shinzo", "2006-09-26", "2007-09-26"),
    (91, "FUKUDA", "Yasuo", "2007-09-26", "2008-09-24"),
    (92, "ASO", "Taro", "2008-09-24", "2009-09-16"),
    (93, "HATOYAMA", "Yukio", "2009-09-16", "2010-06-08"),
    (94, "KAN", "Naoto", "2010-06-08", "2011-09-02"),
    (95, "NODA", "Yoshihiko", "2011-09-02", "2012-12-26"),
    (96, "ABE", "Shinzo", "2012-12-26", "2014-12-24"),
    (97, "ABE", "Shinzo", "2014-12-24", "2017-11-01"),
    (98, "ABE", "Shinzo", "2017-11-01", "2020-09-16"),
    (99, "SUGA", "Yoshihide", "2020-09-16", "2021-10-04"),
    (100, "KISHIDA", "Fumio", "2021-10-04", "2021-11-10"),
    (101, "KISHIDA", "Fumio", "2021-11-10", "2024-10-01"),
    (102, "ISHIBA", "Shigeru", "2024-10-01", "2024-11-11"),
    (103, "ISHIBA", "Shigeru", "2024-11-11", "2025-10-21"),
    (104, "TAKAICHI", "Sanae", "2025-10-21", None),
]


def iso_3166_countries():
    table = files("tzdata.zoneinfo").joinpath("iso3166.tab").read_text(encoding="utf-8")
    for line in table.splitlines():
        if line and not line.startswith("#"):
            code, name = line.split("\t", 1)
            yield code, name.strip()


def load(apps, schema_editor):
    Country = apps.get_model("readouts", "Country")
    Issuer = apps.get_model("readouts", "Issuer")
    Person = apps.get_model("readouts", "Person")
    Tenure = apps.get_model("readouts", "Tenure")
    Administration = apps.get_model("readouts", "Administration")

    Country.objects.bulk_create(
        [Country(code=code, name=name) for code, name in iso_3166_countries()],
        ignore_conflicts=True,
    )
    for name, short_name, slug, country in ISSUERS:
        Issuer.objects.get_or_create(
            slug=slug, defaults={"name": name, "short_name": short_name, "country_id": country}
        )
    for number, family, given, started_on, ended_on in ADMINISTRATIONS:
        name_form = f"{family} {given}"
        person, _ = Person.objects.get_or_create(
            slug=f"{given}-{family}".lower(),
            defaults={
                "family_name": family,
                "given_name": given,
                "name_form": name_form,
                "country_id": "JP",
            },
        )
        Administration.objects.get_or_create(
            ordinal=number,
            defaults={"prime_minister": person, "started_on": started_on, "ended_on": ended_on},
        )
        # Consecutive administrations of one prime minister are one tenure.
        tenure = Tenure.objects.filter(person=person, title="Prime Minister of Japan").last()
        if tenure and str(tenure.ended_on) == started_on:
            tenure.ended_on = ended_on
            tenure.save()
        elif not tenure or str(tenure.started_on) != started_on:
            Tenure.objects.create(
                person=person,
                title="Prime Minister of Japan",
                country_id="JP",
                started_on=started_on,
                ended_on=ended_on,
            )


def unload(apps, schema_editor):
    apps.get_model("readouts", "Administration").objects.filter(
        ordinal__in=[row[0] for row in ADMINISTRATIONS]
    ).delete()
    apps.get_model("readouts", "Issuer").objects.filter(
        slug__in=[row[2] for row in ISSUERS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("readouts", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
