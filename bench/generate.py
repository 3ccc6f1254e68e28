"""Build a large, deterministic CM Planner database for the benchmarks.

    python bench/generate.py [--out bench/data/scale.cmplanner] [--force] [--contacts N]

The schema comes from `Database.open` (the real Alembic migrations); the rows are written with
raw sqlite3 `executemany` in one transaction, in exactly the text formats the ORM writes
(datetimes as 'YYYY-MM-DD HH:MM:SS.ffffff', aware UTC stored as naive UTC). The same seed,
size and anchor date always give the same rows. The file is built under a temporary name and
renamed at the end, so an interrupted run never leaves a half-filled database behind.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sqlite3
import sys
import time
import unicodedata
import uuid
from dataclasses import dataclass, fields
from pathlib import Path
from random import Random
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script from a source tree
    sys.path.insert(0, str(ROOT))

from cmplanner.storage import Database, identity  # noqa: E402
from cmplanner.storage.database import lock_path  # noqa: E402

DEFAULT_OUT = ROOT / "bench" / "data" / "scale.cmplanner"
FULL_CONTACTS = 100_000
# Events are placed around this day. Fixed (not "today") so the output is reproducible; weekly
# series have no end, so the database keeps upcoming occurrences whenever it is opened.
DEFAULT_ANCHOR = dt.date(2026, 11, 21)
DT_FORMAT = "%Y-%m-%d %H:%M:%S.%f"
UTC = dt.UTC


@dataclass(frozen=True)
class Sizes:
    contacts: int = FULL_CONTACTS
    organizations: int = 2_000
    communities: int = 30
    venues: int = 150
    events: int = 10_000
    series: int = 200
    invitations: int = 300_000
    tasks: int = 20_000
    commitments: int = 3_000
    interactions: int = 50_000
    tags: int = 24
    # Read by the dashboard (issue 7): "online work" and organizations partnering events.
    work_entries: int = 20_000
    event_partners: int = 1_500

    @classmethod
    def for_contacts(cls, contacts: int) -> Sizes:
        """Every table scaled like the contacts (with small floors so nothing is empty)."""
        full = cls()
        factor = contacts / FULL_CONTACTS
        floors = {"communities": 3, "venues": 5, "series": 2, "tags": 24}
        values: dict[str, int] = {}
        for f in fields(cls):
            value = max(floors.get(f.name, 1), round(getattr(full, f.name) * factor))
            values[f.name] = min(value, getattr(full, f.name)) if f.name == "tags" else value
        values["contacts"] = contacts
        values["series"] = min(values["series"], values["events"])
        return cls(**values)


# --- vocabulary ---------------------------------------------------------------------------


def words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in text.split(","))


GIVEN_NAMES = words(
    "Camille, Léa, Manon, Chloé, Emma, Inès, Jade, Louise, Alice, Lina, Zoé, Juliette, "
    "Sarah, Anaïs, Clara, Mathilde, Lucie, Margaux, Pauline, Élise, Agathe, Céline, "
    "Nathalie, Isabelle, Sophie, Valérie, Sandrine, Aurélie, Émilie, Hélène, Françoise, "
    "Monique, Brigitte, Martine, Sylvie, Océane, Maëlys, Lucas, Hugo, Louis, Gabriel, "
    "Arthur, Jules, Raphaël, Léo, Adam, Nathan, Théo, Tom, Paul, Maxime, Antoine, Thomas, "
    "Nicolas, Julien, Alexandre, Guillaume, Mathieu, Olivier, Sébastien, Frédéric, Philippe, "
    "Jean, Pierre, Michel, Alain, Patrick, Christophe, Stéphane, Benoît, Rémi, Étienne, "
    "Loïc, Yannick, Gaël, Mickaël, Cédric, Jérôme, François, Baptiste, Quentin, Clément, "
    "Valentin, Noé"
)
FAMILY_NAMES = words(
    "Martin, Bernard, Thomas, Petit, Robert, Richard, Durand, Dubois, Moreau, Laurent, "
    "Simon, Michel, Lefèvre, Leroy, Roux, David, Bertrand, Morel, Fournier, Girard, Bonnet, "
    "Dupont, Lambert, Fontaine, Rousseau, Vincent, Muller, Lefebvre, Faure, André, Mercier, "
    "Blanc, Guérin, Boyer, Garnier, Chevalier, François, Legrand, Gauthier, Garcia, Perrin, "
    "Robin, Clément, Morin, Nicolas, Henry, Roussel, Mathieu, Gautier, Masson, Marchand, "
    "Duval, Denis, Dumont, Marie, Lemaire, Noël, Meyer, Dufour, Meunier, Brun, Blanchard, "
    "Giraud, Joly, Rivière, Lucas, Brunet, Gaillard, Barbier, Arnaud, Martinez, Gérard, "
    "Roche, Renard, Schmitt, Roy, Leroux, Colin, Vidal, Caron, Picard, Roger, Fabre, Aubert, "
    "Lemoine, Renaud, Dumas, Lacroix, Olivier, Philippe, Bourgeois, Pierre, Benoît, Rey, "
    "Leclerc, Payet, Rolland, Leclercq, Guillaume, Lecomte, Lopez, Jean, Dupuy, Guillot, "
    "Hubert, Berger, Carpentier, Sánchez, Dupuis, Moulin, Louis, Deschamps, Huet, Vasseur, "
    "Perez, Boucher, Fleury, Royer, Klein, Jacquet, Adam, Paris, Poirier, Marty, Aubry, "
    "Guyot, Carré, Charles, Renault, Charpentier, Ménard, Maillard, Baron, Bertin, Bailly, "
    "Hervé, Schneider, Fernandez, Le Gall, Collet, Léger, Bouvier, Julien, Prévost, Millet, "
    "Perrot, Daniel, Le Roux, Cousin, Germain, Breton, Besson, Langlois, Rémy"
)
# (city, postal code, region)
CITIES = (
    ("Paris", "75011", "Île-de-France"),
    ("Paris", "75018", "Île-de-France"),
    ("Montreuil", "93100", "Île-de-France"),
    ("Lyon", "69003", "Auvergne-Rhône-Alpes"),
    ("Villeurbanne", "69100", "Auvergne-Rhône-Alpes"),
    ("Grenoble", "38000", "Auvergne-Rhône-Alpes"),
    ("Clermont-Ferrand", "63000", "Auvergne-Rhône-Alpes"),
    ("Marseille", "13001", "Provence-Alpes-Côte d'Azur"),
    ("Nice", "06000", "Provence-Alpes-Côte d'Azur"),
    ("Toulon", "83000", "Provence-Alpes-Côte d'Azur"),
    ("Toulouse", "31000", "Occitanie"),
    ("Montpellier", "34000", "Occitanie"),
    ("Nîmes", "30000", "Occitanie"),
    ("Bordeaux", "33000", "Nouvelle-Aquitaine"),
    ("Limoges", "87000", "Nouvelle-Aquitaine"),
    ("Poitiers", "86000", "Nouvelle-Aquitaine"),
    ("Nantes", "44000", "Pays de la Loire"),
    ("Angers", "49000", "Pays de la Loire"),
    ("Le Mans", "72000", "Pays de la Loire"),
    ("Rennes", "35000", "Bretagne"),
    ("Brest", "29200", "Bretagne"),
    ("Lorient", "56100", "Bretagne"),
    ("Lille", "59000", "Hauts-de-France"),
    ("Amiens", "80000", "Hauts-de-France"),
    ("Strasbourg", "67000", "Grand Est"),
    ("Reims", "51100", "Grand Est"),
    ("Metz", "57000", "Grand Est"),
    ("Nancy", "54000", "Grand Est"),
    ("Dijon", "21000", "Bourgogne-Franche-Comté"),
    ("Besançon", "25000", "Bourgogne-Franche-Comté"),
    ("Rouen", "76000", "Normandie"),
    ("Caen", "14000", "Normandie"),
    ("Le Havre", "76600", "Normandie"),
    ("Tours", "37000", "Centre-Val de Loire"),
    ("Orléans", "45000", "Centre-Val de Loire"),
    ("Ajaccio", "20000", "Corse"),
)
STREET_KINDS = ("rue", "rue", "rue", "avenue", "boulevard", "place", "impasse", "allée", "quai")
STREET_NAMES = (
    "de la République",
    "Victor Hugo",
    "Jean Jaurès",
    "des Lilas",
    "du Moulin",
    "de la Gare",
    "Pasteur",
    "Gambetta",
    "du Général de Gaulle",
    "des Écoles",
    "de la Paix",
    "Voltaire",
    "Émile Zola",
    "de la Liberté",
    "des Tilleuls",
    "du Château",
    "Carnot",
    "Jules Ferry",
    "de Verdun",
    "de l'Église",
    "Saint-Michel",
    "des Roses",
    "du Port",
    "de la Mairie",
    "Denfert-Rochereau",
    "Lamartine",
    "des Acacias",
)
MAIL_DOMAINS = (
    "gmail.com",
    "orange.fr",
    "free.fr",
    "laposte.net",
    "yahoo.fr",
    "hotmail.fr",
    "outlook.fr",
    "sfr.fr",
    "protonmail.com",
    "wanadoo.fr",
)
ORG_WORDS = words(
    "Horizon, Avenir, Solidaire, Éclat, Racines, Partage, Lumière, Atelier, Cité, Harmonie, "
    "Rivage, Envol, Semeurs, Boussole, Passerelle, Fabrique, Ruche, Archipel, Tremplin, "
    "Escale, Vivier, Sillage"
)
ORG_PATTERNS = (
    ("association", "Association {word} {city}"),
    ("association", "Les Amis de {city}"),
    ("association", "{word} & Partage"),
    ("partner", "Collectif {word}"),
    ("company", "{family} et Associés"),
    ("company", "{word} Conseil"),
    ("company", "Boulangerie {family}"),
    ("company", "SARL {family} Frères"),
    ("sponsor", "Fondation {word}"),
    ("media", "Radio {word}"),
    ("media", "Le Journal de {city}"),
    ("institution", "Mairie de {city}"),
    ("institution", "Médiathèque de {city}"),
    ("venue", "Café {word}"),
    ("other", "Club {word} {city}"),
)
ROLES = (
    "Bénévole",
    "Président·e",
    "Trésorier·ère",
    "Chargé·e de mission",
    "Directeur·rice",
    "Coordinateur·rice",
    "Membre",
    "Salarié·e",
    "Fondateur·rice",
    "",
)
COMMUNITY_TOPICS = (
    "Jardins partagés",
    "Café des langues",
    "Repair café",
    "Club lecture",
    "Couture solidaire",
    "Vélo en ville",
    "Parents d'élèves",
    "Théâtre amateur",
    "Jeux de société",
    "Chorale",
    "Zéro déchet",
    "Photo argentique",
    "Randonnée",
    "Code et café",
    "Cuisine du monde",
    "Tricot-thé",
    "Échecs",
    "Apiculture urbaine",
    "Ciné-débat",
    "Entrepreneurs locaux",
)
EVENT_KINDS = (
    "apero",
    "meetup",
    "meetup",
    "workshop",
    "interview",
    "product_test",
    "concert",
    "other",
)
EVENT_TITLES = {
    "apero": "Apéro",
    "meetup": "Rencontre",
    "workshop": "Atelier",
    "interview": "Entretien",
    "product_test": "Test produit",
    "concert": "Concert",
    "other": "Soirée",
}
ZONES = ("Europe/Paris",) * 17 + ("Europe/Brussels", "Europe/Zurich", "America/Montreal")
TASK_TITLES = (
    "Réserver la salle",
    "Envoyer les invitations",
    "Relancer les inscrits",
    "Commander les boissons",
    "Imprimer la feuille d'émargement",
    "Préparer les badges",
    "Remercier les intervenants",
    "Publier les photos",
    "Faire le bilan",
    "Confirmer le traiteur",
)
COMMITMENT_TEXTS = (
    "Envoyer le compte rendu",
    "Présenter {name} à un partenaire",
    "Partager les photos",
    "Rappeler pour le prochain atelier",
    "Prêter le vidéoprojecteur",
    "Trouver un lieu pour la rentrée",
)
TAG_NAMES = (
    "bénévole",
    "VIP",
    "presse",
    "élu·e",
    "partenaire",
    "nouveau",
    "ambassadeur",
    "intervenant",
    "mécène",
    "voisin",
    "étudiant",
    "senior",
    "famille",
    "artisan",
    "commerçant",
    "photographe",
    "musicien",
    "cuisinier",
    "développeur",
    "enseignant",
    "soignant",
    "sportif",
    "jardinier",
    "lecteur",
)
TAG_COLORS = ("#e57373", "#64b5f6", "#81c784", "#ffb74d", "#ba68c8", "#4db6ac", "#a1887f")


def ascii_slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text.lower() if ch.isalnum() or ch == "-")


def fmt(value: dt.datetime) -> str:
    """The text the ORM stores: naive (UTC for aware values), with microseconds."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.strftime(DT_FORMAT)


# --- generation ---------------------------------------------------------------------------


class Generator:
    def __init__(self, sizes: Sizes, seed: int, anchor: dt.date) -> None:
        self.sizes = sizes
        self.rng = Random(seed)
        self.anchor = anchor
        # "Now" for created_at/updated_at: the anchor day at noon UTC.
        self.now = dt.datetime.combine(anchor, dt.time(12), UTC)
        self.now_text = fmt(self.now)
        self.rows: dict[str, list[tuple[object, ...]]] = {}
        self.last_seen: dict[int, str] = {}

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def stamp(self, days_back_max: int = 1500) -> str:
        back = dt.timedelta(seconds=self.rng.randrange(days_back_max * 86400))
        return fmt(self.now - back)

    def seen(self, contact_id: int, when: str) -> None:
        if when > self.last_seen.get(contact_id, ""):
            self.last_seen[contact_id] = when

    def run(self) -> None:
        self.organizations()
        self.tags()
        self.communities()
        self.venues()
        self.events()
        self.invitations()
        self.interactions()
        self.tasks_and_commitments()
        # Contacts last: their last_seen comes from attendance and in-person interactions.
        self.contacts()
        # Added later, with their own generator, so every table above keeps its rows.
        self.dashboard_extras()

    # -- people ----------------------------------------------------------------------------

    def contacts(self) -> None:
        rng, n = self.rng, self.sizes.contacts
        contacts, emails, phones, addresses, tags, affiliations = [], [], [], [], [], []
        org_ids = range(1, self.sizes.organizations + 1)
        org_domains = self.org_domains
        tag_ids = range(1, self.sizes.tags + 1)
        for cid in range(1, n + 1):
            given = rng.choice(GIVEN_NAMES)
            family = rng.choice(FAMILY_NAMES)
            created = self.stamp()
            consent = rng.random() < 0.6
            contacts.append((
                created, created, given, family, "",
                "email" if rng.random() < 0.8 else "phone", "fr" if rng.random() < 0.9 else "en",
                "", rng.choice((None, None, None, 30, 60, 90)),
                (self.anchor - dt.timedelta(days=rng.randrange(1, 1500))).isoformat()
                if consent else None,
                "formulaire" if consent else "", "contact" if consent else "none",
                cid, self.uid(), None, self.last_seen.get(cid),
            ))  # fmt: skip
            local = f"{ascii_slug(given)}.{ascii_slug(family)}"
            emails.append(
                (created, created, cid, "personnel", f"{local}{cid}@{rng.choice(MAIL_DOMAINS)}", 0)
            )
            if rng.random() < 0.45:
                org = rng.choice(org_ids)
                emails.append((created, created, cid, "travail", f"{local}@{org_domains[org]}", 1))
                affiliations.append((created, created, cid, org, rng.choice(ROLES)))
                if rng.random() < 0.1:
                    affiliations.append(
                        (created, created, cid, rng.choice(org_ids), rng.choice(ROLES))
                    )
            digits = "".join(str(rng.randrange(10)) for _ in range(8))
            phones.append((created, created, cid, "mobile",
                           f"+33 {rng.choice('67')} {digits[:2]} {digits[2:4]} {digits[4:6]} "
                           f"{digits[6:]}", 0))  # fmt: skip
            city, postal, region = rng.choice(CITIES)
            addresses.append((created, created, cid, "domicile",
                              f"{rng.randint(1, 180)} {rng.choice(STREET_KINDS)} "
                              f"{rng.choice(STREET_NAMES)}",
                              postal, city, region, "France", 0))  # fmt: skip
            if rng.random() < 0.35:
                for tag in rng.sample(tag_ids, rng.randint(1, 3)):
                    tags.append((created, created, cid, tag))
        self.rows["contact"] = contacts
        self.rows["contact_email"] = emails
        self.rows["contact_phone"] = phones
        self.rows["contact_address"] = addresses
        self.rows["contact_tag"] = tags
        self.rows["affiliation"] = affiliations

    def organizations(self) -> None:
        rng = self.rng
        rows, domains = [], {}
        for oid in range(1, self.sizes.organizations + 1):
            kind, pattern = rng.choice(ORG_PATTERNS)
            city, postal, _region = rng.choice(CITIES)
            name = pattern.format(
                word=rng.choice(ORG_WORDS), city=city, family=rng.choice(FAMILY_NAMES)
            )
            domain = f"{ascii_slug(name.replace(' ', '-'))[:40]}-{oid}.fr"
            domains[oid] = domain
            created = self.stamp()
            rows.append((
                created, created, name, kind, f"https://www.{domain}", f"contact@{domain}",
                f"+33 {rng.randint(1, 5)} {rng.randint(10, 99)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)}",
                f"{rng.randint(1, 120)} {rng.choice(STREET_KINDS)} {rng.choice(STREET_NAMES)}",
                postal, city, "France", "", oid, self.uid(),
            ))  # fmt: skip
        self.rows["organization"] = rows
        self.org_domains = domains

    def tags(self) -> None:
        self.rows["tag"] = [
            (self.now_text, self.now_text, tid, TAG_NAMES[tid - 1], TAG_COLORS[tid % 7])
            for tid in range(1, self.sizes.tags + 1)
        ]

    def communities(self) -> None:
        rng, n = self.rng, self.sizes.contacts
        rows, members = [], []
        roles = ("member",) * 40 + ("ambassador", "ambassador", "core_team", "sponsor", "partner")
        for cid in range(1, self.sizes.communities + 1):
            topic = COMMUNITY_TOPICS[(cid - 1) % len(COMMUNITY_TOPICS)]
            city = CITIES[(cid * 7) % len(CITIES)][0]
            launch = self.anchor - dt.timedelta(days=rng.randint(60, 2500))
            created = fmt(dt.datetime.combine(launch, dt.time(9), UTC))
            rows.append((
                created, created, f"{topic} — {city}", f"Faire vivre « {topic.lower()} » à {city}",
                "Habitants du quartier", "", launch.isoformat(), rng.choice((7, 14, 30, None)),
                cid, self.uid(),
            ))  # fmt: skip
            # A community holds a few hundred to two thousand people whatever the size of the
            # contact book: more contacts make more communities, not bigger ones (memberships
            # grow like the contacts; the full-size database is the same as before).
            size = min(n, max(5, round(FULL_CONTACTS * rng.uniform(0.002, 0.02))))
            for contact in rng.sample(range(1, n + 1), size):
                joined = launch + dt.timedelta(
                    days=rng.randrange(max(1, (self.anchor - launch).days))
                )
                members.append(
                    (created, created, cid, contact, rng.choice(roles), joined.isoformat())
                )
        self.rows["community"] = rows
        self.rows["community_member"] = members

    # -- events ----------------------------------------------------------------------------

    def venues(self) -> None:
        rng = self.rng
        rows = []
        kinds = (
            "Salle des fêtes",
            "Café",
            "Médiathèque",
            "Maison de quartier",
            "Tiers-lieu",
            "Brasserie",
            "Espace associatif",
            "Galerie",
        )
        for vid in range(1, self.sizes.venues + 1):
            city, postal, _region = rng.choice(CITIES)
            rows.append((
                self.now_text, self.now_text, f"{rng.choice(kinds)} {rng.choice(ORG_WORDS)}",
                f"{rng.randint(1, 120)} {rng.choice(STREET_KINDS)} {rng.choice(STREET_NAMES)}",
                postal, city, "France", rng.choice((20, 40, 60, 120, 300, None)),
                rng.choice(("", "Accès PMR par la cour", "Code porte 4512B", "2e étage")),
                round(rng.uniform(42.5, 50.9), 5), round(rng.uniform(-4.4, 7.6), 5), vid,
            ))  # fmt: skip
        self.rows["venue"] = rows

    def events(self) -> None:
        rng, s = self.rng, self.sizes
        rows, exceptions = [], []
        # (id, start_utc text, past, status, zone, occurrences that took place or will)
        self.event_info: list[tuple[int, str, bool, str, ZoneInfo, list[dt.datetime]]] = []
        series_ids = set(rng.sample(range(1, s.events + 1), s.series))
        counter: dict[str, int] = {}
        zones = {name: ZoneInfo(name) for name in set(ZONES)}
        today = dt.datetime.combine(self.anchor, dt.time(0))
        for eid in range(1, s.events + 1):
            kind = rng.choice(EVENT_KINDS)
            community = rng.randint(1, s.communities) if rng.random() < 0.8 else None
            venue = rng.randint(1, s.venues) if rng.random() < 0.7 else None
            zone_name = rng.choice(ZONES)
            # Two years back, one year ahead; evenings mostly.
            day = self.anchor + dt.timedelta(days=rng.randint(-730, 365))
            hour = rng.choice((9, 10, 14, 18, 18, 19, 19, 19, 20))
            start = dt.datetime.combine(day, dt.time(hour, rng.choice((0, 0, 30))))
            end = start + dt.timedelta(minutes=rng.choice((60, 90, 120, 120, 180)))
            zone = zones[zone_name]
            start_utc = start.replace(tzinfo=zone).astimezone(UTC)
            end_utc = end.replace(tzinfo=zone).astimezone(UTC)
            rrule = ""
            occurrences = [start]
            if eid in series_ids:
                byday = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")[start.weekday()]
                rrule = f"FREQ=WEEKLY;BYDAY={byday}"
                if rng.random() < 0.25:
                    rrule = f"FREQ=WEEKLY;INTERVAL=2;BYDAY={byday}"
                step = 14 if "INTERVAL=2" in rrule else 7
                occurrences = [start + dt.timedelta(days=step * k) for k in range(60)]
                skipped = rng.sample(range(1, 60), 2)
                for k in skipped:
                    exceptions.append(
                        (
                            self.now_text,
                            self.now_text,
                            eid,
                            fmt(occurrences[k]),
                            1,
                            None,
                            None,
                            "",
                            "Férié",
                        )
                    )
                occurrences = [o for k, o in enumerate(occurrences) if k not in skipped]
            past = start < today
            if past:
                status = rng.choices(("done", "cancelled", "confirmed"), (90, 5, 5))[0]
            else:
                status = rng.choices(
                    ("planned", "confirmed", "idea", "cancelled"), (50, 35, 10, 5)
                )[0]
            counter[kind] = counter.get(kind, 0) + 1
            community_name = (
                COMMUNITY_TOPICS[(community - 1) % len(COMMUNITY_TOPICS)] if community else "libre"
            )
            title = f"{EVENT_TITLES[kind]} {community_name} n°{counter[kind]}"
            created = fmt(start_utc - dt.timedelta(days=rng.randint(7, 60)))
            online = rng.random() < 0.1
            rows.append((
                created, created, title, kind, community, venue, fmt(start), fmt(end), zone_name,
                0, rrule, status, rng.choice((None, 20, 30, 50, 100)),
                "Créer du lien" if rng.random() < 0.3 else "", "", 0 if online else 1,
                "https://visio.example.org/" + self.uid()[:8] if online else "",
                eid, self.uid(), 0, fmt(start_utc), fmt(end_utc),
            ))  # fmt: skip
            self.event_info.append((eid, fmt(start_utc), past, status, zone, occurrences))
        self.rows["event"] = rows
        self.rows["occurrence_exception"] = exceptions

    def invitations(self) -> None:
        rng, s = self.rng, self.sizes
        weights = [rng.uniform(0.3, 1.7) for _ in range(s.events)]
        total_w = sum(weights)
        counts = [int(s.invitations * w / total_w) for w in weights]
        for i in range(s.invitations - sum(counts)):
            counts[i % s.events] += 1
        contacts = range(1, s.contacts + 1)
        today = dt.datetime.combine(self.anchor, dt.time(0))
        rows = []
        roles = ("guest",) * 20 + ("speaker", "volunteer", "staff", "partner", "press")
        for (eid, start_utc, past, status, zone, occurrences), count in zip(
            self.event_info, counts, strict=True
        ):
            count = min(count, s.contacts)
            past_occurrences = [o for o in occurrences if o < today] if len(occurrences) > 1 else []
            for contact in rng.sample(contacts, count):
                occurrence = None
                when = start_utc
                if past_occurrences and rng.random() < 0.5:
                    # Per-occurrence RSVP/attendance of a series.
                    occ = rng.choice(past_occurrences)
                    occurrence = fmt(occ)
                    when = fmt(occ.replace(tzinfo=zone))
                r = rng.random()
                rsvp = ("accepted" if r < 0.6 else "declined" if r < 0.75
                        else "tentative" if r < 0.85 else "needs-action")  # fmt: skip
                attended = checked_in = None
                if (past or occurrence) and status != "cancelled" and rsvp != "declined":
                    attended = 1 if rng.random() < (0.85 if rsvp == "accepted" else 0.2) else 0
                    if attended:
                        base = dt.datetime.fromisoformat(when)
                        checked_in = fmt(base + dt.timedelta(seconds=rng.randint(-600, 1800)))
                        self.seen(contact, when)
                created = (
                    self.now_text
                    if not past
                    else fmt(
                        dt.datetime.fromisoformat(start_utc) - dt.timedelta(days=rng.randint(1, 30))
                    )
                )
                rows.append((
                    created, created, len(rows) + 1, eid, contact, occurrence,
                    rng.choice(roles), rsvp, 1 if rng.random() < 0.05 else 0,
                    None, attended, checked_in, "",
                ))  # fmt: skip
        self.rows["invitation"] = rows

    def interactions(self) -> None:
        rng, s = self.rng, self.sizes
        channels = (
            "in_person",
            "in_person",
            "phone",
            "email",
            "email",
            "video",
            "message",
            "social",
        )
        rows = []
        for iid in range(1, s.interactions + 1):
            contact = rng.randint(1, s.contacts)
            channel = rng.choice(channels)
            when = fmt(self.now - dt.timedelta(minutes=rng.randrange(730 * 1440)))
            in_person = channel == "in_person"
            if in_person:
                self.seen(contact, when)
            rows.append((
                when, when, iid, contact, when, channel, 1 if in_person else 0,
                rng.choice((None, 5, 15, 30, 60)), None, rng.choice(("", "", "A suivre", "Café")),
            ))  # fmt: skip
        self.rows["interaction"] = rows

    def tasks_and_commitments(self) -> None:
        rng, s = self.rng, self.sizes
        tasks = []
        for tid in range(1, s.tasks + 1):
            event = rng.randint(1, s.events) if rng.random() < 0.85 else None
            offset = rng.choice((-21, -14, -7, -2, 1, 3)) if event else None
            due = self.anchor + dt.timedelta(days=rng.randint(-400, 120))
            done = due < self.anchor and rng.random() < 0.8
            tasks.append((
                self.now_text, self.now_text, tid, rng.choice(TASK_TITLES), "", event,
                None if event else due.isoformat(), offset,
                rng.randint(1, s.contacts) if rng.random() < 0.3 else None,
                1 if done else 0, fmt(dt.datetime.combine(due, dt.time(17), UTC)) if done else None,
                tid % 10,
            ))  # fmt: skip
        commitments = []
        for cid in range(1, s.commitments + 1):
            due = self.anchor + dt.timedelta(days=rng.randint(-200, 90))
            status = "open"
            if due < self.anchor:
                status = rng.choice(("kept", "kept", "kept", "broken", "open", "cancelled"))
            commitments.append((
                self.now_text, self.now_text, cid,
                rng.choice(COMMITMENT_TEXTS).format(name=rng.choice(GIVEN_NAMES)),
                rng.randint(1, s.contacts) if rng.random() < 0.7 else None,
                rng.randint(1, s.communities) if rng.random() < 0.5 else None,
                rng.randint(1, s.events) if rng.random() < 0.4 else None,
                due.isoformat(), status, "",
            ))  # fmt: skip
        self.rows["task"] = tasks
        self.rows["commitment"] = commitments

    def dashboard_extras(self) -> None:
        """What the dashboard reads beyond the tables above: "online work" entries over two
        years (some in person, most for a community) and sponsors partnering events."""
        rng, s = Random(self.rng.random()), self.sizes
        work = []
        for wid in range(1, s.work_entries + 1):
            day = self.anchor - dt.timedelta(days=rng.randrange(730))
            work.append((
                self.now_text, self.now_text, wid, day.isoformat(),
                rng.choice((15, 30, 45, 60, 90, 120)), 1 if rng.random() < 0.1 else 0,
                rng.randint(1, s.communities) if rng.random() < 0.7 else None,
                rng.choice(("Newsletter", "Réseaux sociaux", "Forum", "")),
            ))  # fmt: skip
        self.rows["work_entry"] = work
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < min(s.event_partners, s.events * s.organizations):
            pairs.add((rng.randint(1, s.events), rng.randint(1, s.organizations)))
        self.rows["event_partner"] = [
            (self.now_text, self.now_text, pid, event, org, "Logo sur les affiches")
            for pid, (event, org) in enumerate(sorted(pairs), start=1)
        ]


# Insertion order respects foreign keys; columns follow each table's definition.
COLUMNS: dict[str, tuple[str, ...]] = {
    "contact": ("created_at", "updated_at", "given_name", "family_name", "nickname",
                "preferred_channel", "language", "notes", "cadence_days", "consent_date",
                "consent_source", "consent_scope", "id", "uid", "photo", "last_seen"),
    "organization": ("created_at", "updated_at", "name", "kind", "website", "email", "phone",
                     "street", "postal_code", "city", "country", "notes", "id", "uid"),
    "tag": ("created_at", "updated_at", "id", "name", "color"),
    "community": ("created_at", "updated_at", "name", "objective", "target_population",
                  "description", "launch_date", "pace_days", "id", "uid"),
    "venue": ("created_at", "updated_at", "name", "street", "postal_code", "city", "country",
              "capacity", "access_notes", "latitude", "longitude", "id"),
    "contact_email": ("created_at", "updated_at", "contact_id", "label", "address", "position"),
    "contact_phone": ("created_at", "updated_at", "contact_id", "label", "number", "position"),
    "contact_address": ("created_at", "updated_at", "contact_id", "label", "street",
                        "postal_code", "city", "region", "country", "position"),
    "contact_tag": ("created_at", "updated_at", "contact_id", "tag_id"),
    "affiliation": ("created_at", "updated_at", "contact_id", "organization_id", "role"),
    "community_member": ("created_at", "updated_at", "community_id", "contact_id", "role",
                         "joined_on"),
    "event": ("created_at", "updated_at", "title", "kind", "community_id", "venue_id",
              "start_local", "end_local", "timezone", "all_day", "rrule", "status", "capacity",
              "objective", "description", "in_person", "online_url", "id", "uid", "sequence",
              "start_utc", "end_utc"),
    "occurrence_exception": ("created_at", "updated_at", "event_id", "recurrence_id",
                             "cancelled", "start_local", "end_local", "status", "notes"),
    "invitation": ("created_at", "updated_at", "id", "event_id", "contact_id", "occurrence",
                   "role", "rsvp", "plus_ones", "waitlist_position", "attended",
                   "checked_in_at", "notes"),
    "interaction": ("created_at", "updated_at", "id", "contact_id", "occurred_at", "channel",
                    "in_person", "duration_minutes", "event_id", "notes"),
    "task": ("created_at", "updated_at", "id", "title", "notes", "event_id", "due_date",
             "due_offset_days", "assignee_id", "done", "done_at", "position"),
    "commitment": ("created_at", "updated_at", "id", "description", "contact_id",
                   "community_id", "event_id", "due_date", "status", "notes"),
    "work_entry": ("created_at", "updated_at", "id", "day", "minutes", "in_person",
                   "community_id", "notes"),
    "event_partner": ("created_at", "updated_at", "id", "event_id", "organization_id",
                      "obligations"),
}  # fmt: skip


def remove_database(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
                      lock_path(path)):  # fmt: skip
        candidate.unlink(missing_ok=True)


def generate(
    out: Path, sizes: Sizes, *, seed: int = 42, anchor: dt.date = DEFAULT_ANCHOR
) -> dict[str, int]:
    """Write the database to `out` (which must not exist) and return the row counts."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    remove_database(tmp)

    gen = Generator(sizes, seed, anchor)
    gen.run()

    Database.open(tmp, backup=False).close()  # the real schema, via the migrations
    con = sqlite3.connect(tmp, isolation_level=None)
    try:
        con.execute("PRAGMA synchronous=OFF")  # a throw-away file until the rename below
        con.execute("BEGIN")
        # Triggers that keep derived data (the contact search index) in sync would run once per
        # e-mail, phone, address... Set them aside during the load, then touch each contact
        # once so they build that data exactly once per contact.
        triggers = con.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL"
        ).fetchall()
        for name, _sql in triggers:
            con.execute(f'DROP TRIGGER "{name}"')
        for table, columns in COLUMNS.items():
            marks = ", ".join("?" * len(columns))
            con.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", gen.rows[table]
            )
        for _name, sql in triggers:
            con.execute(sql)
        con.execute("UPDATE contact SET id = id")
        # The database's id (migration 0013) is drawn at random when it is made, and stamped
        # with the time: drawn from the seed here instead, so the same seed gives the same bytes.
        stamp = dt.datetime.combine(anchor, dt.time()).strftime("%Y-%m-%d %H:%M:%S")
        con.execute(
            "UPDATE setting SET value = ?, created_at = ?, updated_at = ? WHERE key = ?",
            (f"{Random(seed).getrandbits(128):032x}", stamp, stamp, identity.KEY),
        )
        con.execute("COMMIT")
        problems = con.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"foreign key problems: {problems[:5]}")
        counts = {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in COLUMNS
        }
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    remove_database(out)
    os.replace(tmp, out)
    remove_database(tmp)  # the lock file (and any WAL leftovers) of the temporary name
    return counts


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="database file to write")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser.add_argument(
        "--contacts",
        type=int,
        default=FULL_CONTACTS,
        help="number of contacts; every other table is scaled alike (default 100,000)",
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--anchor",
        type=dt.date.fromisoformat,
        default=DEFAULT_ANCHOR,
        help=f"the 'today' events are placed around (default {DEFAULT_ANCHOR})",
    )
    args = parser.parse_args(argv)
    if args.contacts < 10:
        parser.error("--contacts must be at least 10")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    out: Path = args.out.resolve()
    if out.exists() and not args.force:
        print(f"{out} exists; use --force to rebuild it.", file=sys.stderr)
        return 1
    sizes = Sizes.for_contacts(args.contacts)
    started = time.perf_counter()
    counts = generate(out, sizes, seed=args.seed, anchor=args.anchor)
    elapsed = time.perf_counter() - started
    width = max(len(t) for t in counts)
    for table, count in counts.items():
        print(f"{table:<{width}}  {count:>9,}")
    size_mb = out.stat().st_size / 1e6
    print(
        f"wrote {out} ({size_mb:.1f} MB) in {elapsed:.1f} s "
        f"(seed {args.seed}, anchor {args.anchor})"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
