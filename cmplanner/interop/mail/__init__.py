"""Invitations by e-mail: iTIP messages (`itip`), their iMIP mails (`imip`), sent by SMTP
(`smtp`)."""
