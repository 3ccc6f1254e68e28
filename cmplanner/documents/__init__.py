"""Printable documents (PDF): the event brief, the sign-in sheet, badges, the community
handover dossier. Headless: each `render(db, id, …)` reads through the services and returns
PDF bytes; cmplanner.documents.base holds what they share."""
