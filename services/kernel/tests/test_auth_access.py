"""docs/architecture.md §6: who sees and changes which dossiers."""

from dvc_kernel.auth import (
    DossierScope,
    Principal,
    Role,
    can_change_anything,
    can_change_dossier,
    can_manage_accounts,
    can_read_dossier,
    read_must_be_recorded,
)

# Provincial police PC06 has two commune police units under it.
TREE = {"cax-phuc-xa": "pc06-hanoi", "cax-ba-dinh": "pc06-hanoi", "pc06-hanoi": "bo-cong-an"}


def is_under(unit: str, ancestor: str) -> bool:
    while unit in TREE:
        unit = TREE[unit]
        if unit == ancestor:
            return True
    return False


LAN_DOSSIER = DossierScope(owner="acc-lan", unit="cax-phuc-xa")


def who(role: Role, subject: str = "acc-x", *units: str) -> Principal:
    return Principal(subject=subject, role=role, units=frozenset(units))


def test_a_citizen_sees_and_acts_on_only_their_own_dossiers() -> None:
    lan, binh = who(Role.CITIZEN, "acc-lan"), who(Role.CITIZEN, "acc-binh")
    assert can_read_dossier(lan, LAN_DOSSIER) and can_change_dossier(lan, LAN_DOSSIER)
    assert not can_read_dossier(binh, LAN_DOSSIER) and not can_change_dossier(binh, LAN_DOSSIER)


def test_an_organisation_sees_only_its_own_dossiers() -> None:
    assert can_read_dossier(who(Role.ORGANISATION, "acc-lan"), LAN_DOSSIER)
    assert not can_read_dossier(who(Role.ORGANISATION, "acc-cty"), LAN_DOSSIER)


def test_an_officer_sees_only_the_dossiers_of_their_units() -> None:
    own = who(Role.OFFICER, "o1", "cax-phuc-xa")
    other = who(Role.OFFICER, "o2", "cax-ba-dinh")
    above = who(Role.OFFICER, "o3", "pc06-hanoi")  # an officer does not inherit lower units
    assert can_read_dossier(own, LAN_DOSSIER, is_under)
    assert can_change_dossier(own, LAN_DOSSIER, is_under)
    assert not can_read_dossier(other, LAN_DOSSIER, is_under)
    assert not can_read_dossier(above, LAN_DOSSIER, is_under)


def test_a_supervisor_also_sees_the_units_under_their_unit() -> None:
    provincial = who(Role.SUPERVISOR, "s1", "pc06-hanoi")
    ministry = who(Role.SUPERVISOR, "s2", "bo-cong-an")
    sibling = who(Role.SUPERVISOR, "s3", "cax-ba-dinh")
    assert can_read_dossier(provincial, LAN_DOSSIER, is_under)
    assert can_change_dossier(ministry, LAN_DOSSIER, is_under)
    assert not can_read_dossier(sibling, LAN_DOSSIER, is_under)


def test_an_unrouted_dossier_is_seen_by_no_officer() -> None:
    unrouted = DossierScope(owner="acc-lan", unit=None)
    assert not can_read_dossier(who(Role.SUPERVISOR, "s", "bo-cong-an"), unrouted, is_under)
    assert can_read_dossier(who(Role.CITIZEN, "acc-lan"), unrouted)


def test_an_auditor_reads_everything_and_changes_nothing() -> None:
    auditor = who(Role.AUDITOR, "a1")
    assert can_read_dossier(auditor, LAN_DOSSIER)
    assert not can_change_dossier(auditor, LAN_DOSSIER)
    assert not can_change_anything(auditor)
    assert not can_manage_accounts(auditor)


def test_operators_manage_accounts_and_do_not_handle_dossiers() -> None:
    operator = who(Role.OPERATOR, "op1")
    assert can_manage_accounts(operator)
    assert not can_read_dossier(operator, LAN_DOSSIER)
    assert not can_change_dossier(operator, LAN_DOSSIER)
    assert not can_manage_accounts(who(Role.SUPERVISOR, "s1", "bo-cong-an"))


def test_every_read_of_personal_data_by_staff_is_recorded() -> None:
    assert read_must_be_recorded(who(Role.OFFICER, "o1", "u"))
    assert read_must_be_recorded(who(Role.AUDITOR, "a1"))
    assert not read_must_be_recorded(who(Role.CITIZEN, "acc-lan"))
