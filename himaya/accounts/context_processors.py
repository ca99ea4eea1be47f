from himaya.core import access


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_verified():
        return {}
    imports = bool(access.exchange_org_ids(user)) or bool(access.casework_import_org_ids(user))
    return {
        "nav_handles_victims": access.handles_victims(user),
        "nav_sees_dossiers": access.handles_victims(user) or bool(access.analyst_org_ids(user)),
        "nav_reports": access.handles_reports(user),
        "nav_alerts": access.handles_victims(user),
        "nav_screening": access.handles_victims(user),
        "nav_campaigns": access.is_national_analyst(user),
        "nav_justice": access.handles_justice(user),
        "nav_justice_figures": access.sees_justice_oversight(user),
        "nav_imports": imports,
        # analysts export de-identified HTCDS records and the CTDC extract (exchange/policies.py)
        "nav_htcds": not imports and bool(access.analyst_org_ids(user)),
        "nav_annual_report": access.reads_national_report(user),
        "nav_linkage_desk": access.is_linkage_officer(user),
        "nav_coordination": bool(access.member_org_ids(user)),
        "nav_services": bool(access.member_org_ids(user)),
        "nav_referral_inbox": access.handles_victims(user),
        "nav_manages_orgs": bool(access.manageable_org_ids(user)) or access.is_system_admin(user),
        "nav_memberships": user.memberships.filter(active=True).select_related("organisation"),
    }
