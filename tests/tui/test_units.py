"""Pure pieces of the console: filter compilation, formats, the gig form, the clock, export,
the action registry."""

from __future__ import annotations


import pytest

from console.tui import actions, gig_form
from console.tui import format as fmt
from console.tui.export import ExportError, write_export
from console.tui.widgets.virtual_table import FilterError, Row, compile_filter

from .fakes import T0, make_gig


def row(*cells: str) -> Row:
    return Row.of("k", cells, ())


def test_filter_is_case_insensitive_regex_with_bang_inverting():
    regex = compile_filter("Be.ch")
    assert regex.literal is None and regex.matches(row("beach", "cleanup"))
    inverted = compile_filter("!Be.ch")
    assert not inverted.matches(row("beach")) and inverted.matches(row("tree"))
    assert compile_filter("") is None and compile_filter("!") is None
    with pytest.raises(FilterError, match="position 0"):
        compile_filter("(")


def test_plain_words_match_as_lower_cased_substrings():
    words = compile_filter("Tree Pl")
    assert words.literal == "tree pl"
    assert words.matches(row("1", "Tree planting")) and not words.matches(row("Treeplanting"))


def test_only_plain_words_typed_further_narrow_the_previous_result():
    assert compile_filter("liv").narrows(compile_filter("li"))
    assert not compile_filter("li.").narrows(compile_filter("li"))
    assert not compile_filter("!liv").narrows(compile_filter("!li"))
    assert not compile_filter("lv").narrows(compile_filter("li"))
    assert not compile_filter("li").narrows(None)


@pytest.mark.parametrize(("seconds", "text"), [
    (None, ""), (5, "5s"), (270, "4m30s"), (7500, "2h05m"), (273600, "3d04h"), (-90, "-1m30s"),
])
def test_duration(seconds, text):
    assert fmt.duration(seconds) == text


def test_seats_and_timestamps():
    assert fmt.seats(12, 10, 20) == "12/10-20" and fmt.seats(3, 5, None) == "3/5+"
    assert fmt.timestamp(1772445600) == "03-02 10:00"
    assert gig_form.parse_time(fmt.full_timestamp(1772445600), 0) == 1772445600


def test_form_round_trip_of_an_unchanged_gig_is_no_update():
    gig = make_gig("1", "Tree planting", T0 + 60, T0 + 3600)
    update, errors = gig_form.build_update(gig, gig_form.values_from_gig(gig), T0)
    assert update is None and errors == {}


def test_form_cross_field_error_lands_on_the_later_field():
    values = gig_form.new_gig_values(T0) | {"title": "x", "end_at": str(T0)}
    create, errors = gig_form.build_create(values, T0)
    assert create is None and "must be after start_at" in errors["end_at"]


def test_form_clearing_seats_max_sends_null():
    gig = make_gig("1", "Tree planting", T0 + 60, T0 + 3600)
    values = gig_form.values_from_gig(gig) | {"seats_max": ""}
    update, errors = gig_form.build_update(gig, values, T0)
    assert errors == {} and update.changes() == {"seats_max": None}


def test_form_refuses_frozen_fields_after_start():
    gig = make_gig("1", "Tree planting", T0 - 60, T0 + 3600)
    values = gig_form.values_from_gig(gig) | {"title": "renamed"}
    update, errors = gig_form.build_update(gig, values, T0)
    assert update is None and errors == {"title": "cannot change once the gig has started"}


def test_form_names_every_bad_field_at_once_not_the_unreadable_first():
    # An unreadable number must not hide what the model refuses in the other fields: the
    # operator fixes them all in one go.
    values = gig_form.new_gig_values(T0) | {
        "title": "x", "seats_min": "nan", "total_seats": str(2**70), "start_at": "+99999999999d"}
    create, errors = gig_form.build_create(values, T0)
    assert create is None
    assert errors["seats_min"] == "must be a whole number, not 'nan'"
    assert "must be at most 1,000,000" in errors["total_seats"]
    assert "253402300799" in errors["start_at"]


def test_form_update_names_every_bad_field_at_once():
    gig = make_gig("1", "Tree planting", T0 + 60, T0 + 3600)
    values = gig_form.values_from_gig(gig) | {"seats_min": "many", "total_seats": str(2**70)}
    update, errors = gig_form.build_update(gig, values, T0)
    assert update is None
    assert set(errors) == {"seats_min", "total_seats"}


def test_form_task_errors_name_the_task():
    values = gig_form.new_gig_values(T0) | {"title": "x", "tasks": '[{"title": "a"}]'}
    _, errors = gig_form.build_create(values, T0)
    assert errors["tasks"] == "0.base_price: is required"


def test_export_refuses_unknown_format_and_writes_nothing(tmp_path):
    with pytest.raises(ExportError, match=r"\.txt: use \.csv or \.json"):
        write_export(tmp_path / "gigs.txt", [{"id": "1"}])
    assert list(tmp_path.iterdir()) == []


def test_export_to_missing_folder_names_the_file(tmp_path):
    with pytest.raises(ExportError, match="nope/gigs.csv: cannot write"):
        write_export(tmp_path / "nope" / "gigs.csv", [{"id": "1"}])


def test_registry_ids_are_unique_and_scoped():
    ids = [a.id for a in actions.ACTIONS]
    assert len(ids) == len(set(ids))
    assert all(a.scope in actions.SCOPES for a in actions.ACTIONS)


def test_registry_keys_do_not_clash_within_what_is_active_together():
    # App keys are active on every screen: they must not reuse a key of a screen's actions.
    app_keys = {k for a in actions.in_scope("app") for k in a.keys.split(",")}
    for scopes in (("list", "gigs"), ("gig",), ("dialog",)):
        keys = [k for s in scopes for a in actions.in_scope(s) for k in a.keys.split(",")]
        assert len(keys) == len(set(keys)), scopes
        if scopes != ("dialog",):  # dialogs are modal: app keys do not reach past them
            assert not app_keys & set(keys), scopes


def test_keymap_check_rejects_empty_keys():
    with pytest.raises(actions.KeymapError, match="keys.gigs.filter: give at least one key"):
        actions.check_keymap({"gigs.filter": " , "})


@pytest.mark.parametrize(("source", "text", "expected"), [
    ("sm.rt", "SMART tv", True),
    ("^\\d+ smart", "12 Smart", True),
    ("[^a-z]mart", "Smart", False),
    ("Sm\\S+", "smart", True),  # capitals: the IGNORECASE path
    ("\\D+", "123", False),
])
def test_regex_filters_ignore_case_on_every_path(source, text, expected):
    assert compile_filter(source).matches(row(text)) is expected


def test_only_an_auto_gig_with_an_empty_filter_is_warned_about():
    assert "matches every worker" in gig_form.empty_filter_warning("auto", {})
    assert gig_form.empty_filter_warning("manual", {}) is None
    assert gig_form.empty_filter_warning("auto", {"status": "active"}) is None
    assert gig_form.parse_time("+2h", T0) == T0 + 7200
    with pytest.raises(ValueError, match=r"\+DURATION"):
        gig_form.parse_time("+2w", T0)


def test_pack_parts_keeps_each_part_whole_and_wraps_a_part_wider_than_the_line():
    parts = ["7 Localization check: German storefront", "scheduled", "auto x5/5min",
             "next wave in 22h59m"]
    assert fmt.pack_parts(parts, 78) == [
        "7 Localization check: German storefront · scheduled · auto x5/5min",
        "next wave in 22h59m"]
    assert fmt.pack_parts(parts, 200) == [" · ".join(parts)]
    assert fmt.pack_parts(["filter error: missing ), unterminated subpattern"], 20) == [
        "filter error:", "missing ),", "unterminated", "subpattern"]
    assert fmt.pack_parts(parts, 0) == [" · ".join(parts)]  # not laid out yet
