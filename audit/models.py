"""The append-only audit event log: one hash-chained entry per domain action."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    # Foundation
    REFERENCE_DATA_LOADED = "reference_data.loaded", _("reference data loaded")
    ORGANISATION_REGISTERED = "organisation.registered", _("organisation registered")
    ORGANISATION_APPROVED = "organisation.approved", _("organisation approved")
    ORGANISATION_REJECTED = "organisation.rejected", _("organisation rejected")
    USER_INVITED = "user.invited", _("colleague invited")
    ROLE_GRANTED = "role.granted", _("role granted")
    ROLE_GRANT_REQUESTED = "role.grant_requested", _("role grant requested")
    ROLE_GRANT_REFUSED = "role.grant_refused", _("role grant refused")
    ROLE_REVOKED = "role.revoked", _("role revoked")
    API_TOKEN_ISSUED = "api_token.issued", _("API token issued")
    API_TOKEN_REVOKED = "api_token.revoked", _("API token revoked")
    WEBHOOK_REGISTERED = "webhook.registered", _("webhook endpoint registered")
    WEBHOOK_SECRET_ROTATED = "webhook.secret_rotated", _("webhook secret rotated")
    WEBHOOK_DISABLED = "webhook.disabled", _("webhook endpoint disabled")
    IDENTITY_LINKED = "identity.linked", _("signed in through an identity provider for the first time")
    STAFF_ROLE_MAPPING_SAVED = "staff_role_mapping.saved", _("staff SSO role mapping saved")
    SIGN_IN_POLICY_CHANGED = "sign_in_policy.changed", _("sign-in policy changed")
    # Applications and licences
    APPLICATION_CREATED = "application.created", _("application created")
    APPLICATION_UPDATED = "application.updated", _("application updated")
    APPLICATION_TRANSITIONED = "application.transitioned", _("application status changed")
    APPLICATION_ASSIGNED = "application.assigned", _("case assigned")
    APPLICATION_NOTE_ADDED = "application.note_added", _("note added")
    INFORMATION_REQUESTED = "application.information_requested", _("information requested")
    INFORMATION_PROVIDED = "application.information_provided", _("information provided")
    INFORMATION_TERM_LAPSED = (
        "application.information_term_lapsed",
        _("answer-by term passed unused: the Awb term runs again"),
    )
    DOCUMENT_UPLOADED = "document.uploaded", _("document uploaded")
    DOCUMENT_SCANNED = "document.scanned", _("document scanned: clean")
    DOCUMENT_QUARANTINED = "document.quarantined", _("document quarantined: virus found")
    END_USER_CERTIFICATE_REGISTERED = "euc.registered", _("end-user certificate registered")
    END_USER_CERTIFICATE_ATTACHED = "euc.attached", _("end-user certificate attached to an application")
    LICENCE_ISSUED = "licence.issued", _("licence issued")
    LICENCE_TRANSITIONED = "licence.transitioned", _("licence status changed")
    LICENCE_AMENDED = "licence.amended", _("licence amended")
    LICENCE_EXTENDED = "licence.extended", _("licence extended")
    LICENCE_SURRENDERED = "licence.surrendered", _("licence surrendered")
    LICENCE_AMENDMENT_REQUESTED = "licence_amendment.requested", _("change of a licence requested")
    LICENCE_AMENDMENT_PROPOSED = "licence_amendment.proposed", _("decision on a change of a licence proposed")
    LICENCE_AMENDMENT_DECIDED = "licence_amendment.decided", _("change of a licence decided")
    SHIPMENT_RECORDED = "shipment.recorded", _("shipment recorded")
    # Assessment
    CHECKS_RUN = "checks.run", _("automatic checks run")
    CHECK_RESOLVED = "check.resolved", _("check result resolved")
    CRITERION_ASSESSED = "criterion.assessed", _("criterion assessed")
    ADVICE_REQUESTED = "advice.requested", _("advice requested")
    ADVICE_GIVEN = "advice.given", _("advice given")
    DECISION_PROPOSED = "decision.proposed", _("decision proposed")
    DECISION_COUNTERSIGNED = "decision.countersigned", _("decision countersigned")
    DECISION_RETURNED = "decision.returned", _("decision sent back")
    DENIAL_RECORDED = "denial.recorded", _("denial notification recorded")
    # Objection against a decision (bezwaar, Awb chapters 6 and 7)
    DECISION_OBJECTION_FILED = "decision_objection.filed", _("objection against a decision filed")
    DECISION_OBJECTION_UPDATED = "decision_objection.updated", _("objection case changed")
    DECISION_OBJECTION_DECIDED = "decision_objection.decided", _("decision on objection taken")
    # Consultations and treaty
    CONSULTATION_OPENED = "consultation.opened", _("consultation opened")
    CONSULTATION_UPDATED = "consultation.updated", _("consultation updated")
    CONSULTATION_CONCLUDED = "consultation.concluded", _("consultation concluded")
    NOTIFICATION_RECORDED = "treaty_notification.recorded", _("treaty notification recorded")
    OBJECTION_PROPOSED = "objection.proposed", _("objection proposed")
    OBJECTION_APPROVED = "objection.approved", _("objection approved")
    OBJECTION_SENT = "objection.sent", _("objection sent")
    NO_OBJECTION_RECORDED = "objection.none_in_time", _("no objection raised in time")
    REMINDER_SENT = "reminder.sent", _("deadline reminder sent")
    NOTIFICATION_ASSIGNED = "treaty_notification.assigned", _("treaty notification assigned")
    NOTIFICATION_CLOSED = "treaty_notification.closed", _("treaty notification closed")
    OBJECTION_RETURNED = "objection.returned", _("objection sent back")
    OBJECTION_RECEIVED = "objection.received", _("objection received from another party")
    CONSULTATION_MEETING_RECORDED = "consultation.meeting_recorded", _("consultation meeting recorded")
    PROGRAMME_SAVED = "programme.saved", _("programme or cooperation project saved")
    TREATY_TRANSFER_SAVED = "treaty_transfer.saved", _("treaty transfer details saved")
    TREATY_TRANSFER_ASSESSED = "treaty_transfer.assessed", _("de minimis rule applied")
    TREATY_PARAMETERS_LOADED = "treaty_parameters.loaded", _("treaty parameters loaded")
    FINAL_SYSTEM_REGISTERED = "final_system.registered", _("final system registered")
    TREATY_TRANSFER_CORRECTED = "treaty_transfer.corrected", _("treaty details or goods rating corrected")
    DELAY_NOTIFIED = "application.delay_notified", _("notice of delay sent (Awb 4:14(3))")
    REMINDER_ESCALATED = "reminder.escalated", _("deadline reminder escalated")
    # General licences (Directive 2009/43 art. 5; Dutch general licences), reuse and certificates (issue 17)
    GENERAL_LICENCE_SAVED = "general_licence.saved", _("general licence published or changed")
    GENERAL_LICENCE_REGISTRATION_FILED = "general_licence.registration_filed", _("registration for a general licence")
    GENERAL_LICENCE_REGISTRATION_DECIDED = (
        "general_licence.registration_decided",
        _("registration for a general licence decided"),
    )
    GENERAL_LICENCE_REGISTRATION_SUSPENDED = (
        "general_licence.registration_suspended",
        _("registration for a general licence suspended"),
    )
    GENERAL_LICENCE_REGISTRATION_REINSTATED = (
        "general_licence.registration_reinstated",
        _("registration for a general licence reinstated"),
    )
    USAGE_RETURN_FILED = "general_licence.usage_return_filed", _("general licence usage return filed")
    PRODUCT_SAVED = "product.saved", _("product saved in the catalogue")
    SAVED_PARTY_SAVED = "saved_party.saved", _("party saved for reuse")
    INTEGRATION_CERTIFICATE_REQUESTED = "integration_certificate.requested", _("certificate of integration requested")
    INTEGRATION_CERTIFICATE_RECEIVED = "integration_certificate.received", _("certificate of integration received")
    # Reports
    REPORT_GENERATED = "report.generated", _("report generated")
    # Accelerated information to parliament (licensing.parliament_rules)
    PARLIAMENT_INFORMATION_DUE = "parliament_information.due", _("decision flagged for accelerated information")
    PARLIAMENT_INFORMATION_SENT = "parliament_information.sent", _("letter to parliament marked sent")


class AuditEvent(models.Model):
    """One domain action. Rows are never updated or deleted: a database trigger refuses it (see SECURITY.md).

    `hash` = SHA-256 over the canonical JSON of the event's content and `prev_hash`; appends are serialised
    by a row lock on AuditChainHead so the chain never forks.
    """

    sequence = models.BigIntegerField(unique=True)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(max_length=200, help_text=_("Who acted, as shown: a person or 'system'."))
    verb = models.CharField(max_length=64, choices=Verb.choices)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=64)
    payload = models.JSONField(default=dict)
    reason = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "sequence"]),
            models.Index(fields=["actor", "occurred_at"]),
            models.Index(fields=["verb", "occurred_at"]),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.actor_label} {self.verb} {self.target_type}:{self.target_id}"


class AuditChainHead(models.Model):
    """A single row holding the chain's head; locking it serialises appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head #{self.sequence} {self.hash[:12]}"
