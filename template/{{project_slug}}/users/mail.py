"""Account emails, rendered from the templates in templates/users/email/: a
subject, a plain-text body and an HTML alternative for each. Restyle them there."""

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .addresses import deliverable


def account_email(name, to, context):
    subject = render_to_string(f"users/email/{name}_subject.txt", context)
    message = EmailMultiAlternatives(
        " ".join(subject.split()),  # one line, whatever the template's layout
        render_to_string(f"users/email/{name}.txt", context),
        to=[deliverable(to)],
    )
    message.attach_alternative(render_to_string(f"users/email/{name}.html", context), "text/html")
    return message
