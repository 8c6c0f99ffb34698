"""Email addresses: the one form that is stored and compared, and the form the
mail server is handed.

Domains are compared in their IDNA form (UTS #46, the mapping browsers and
resolvers use), kept as Unicode: the punycode and the Unicode spellings of one
domain are one address (`xn--strae-oqa.de` is `straße.de`), and no domain is
rewritten into another one (NFKC with case folding, like Python's IDNA 2003
codec, turns `straße.de` into `strasse.de`: someone else's domain).
"""

import idna
from django.contrib.auth import get_user_model


def canonical_domain(domain):
    """`domain` in its UTS #46 form, as Unicode. One that UTS #46 refuses is only
    lowercased, as Django does: no mail server would take it anyway."""
    try:
        return idna.decode(idna.encode(domain, uts46=True))
    except idna.IDNAError:
        return domain.lower()


def with_canonical_domain(address):
    local, at, domain = address.rpartition("@")
    return f"{local}@{canonical_domain(domain)}" if at else address


def normalize_email(address):
    """The form in which the project stores and looks up an address: the user
    model's own (its manager's `normalize_email`), with the domain in its UTS #46
    form."""
    return with_canonical_domain(get_user_model().objects.normalize_email(address))


def deliverable(address):
    """The address to hand the mail server: the domain as its UTS #46 A-label.
    Django's SMTP backend encodes a Unicode domain with IDNA 2003, which would
    send mail for `straße.de` to `strasse.de`; an ASCII domain it leaves as it is."""
    local, at, domain = address.rpartition("@")
    try:
        return f"{local}@{idna.encode(domain, uts46=True).decode('ascii')}" if at else address
    except idna.IDNAError:
        return address
