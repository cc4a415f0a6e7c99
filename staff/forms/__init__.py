"""The staff forms, one module per sub-domain; this package only re-exports them."""

from .people import (
    CertificateEditFormSet,
    CertificateFormSet,
    PersonEditForm,
    PersonForm,
    PostEditForm,
    PostForm,
    RevealForm,
)

__all__ = [
    "CertificateEditFormSet",
    "CertificateFormSet",
    "PersonEditForm",
    "PersonForm",
    "PostEditForm",
    "PostForm",
    "RevealForm",
]
