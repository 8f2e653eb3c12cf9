"""The evaluation's arithmetic: the weighted total, ranks with ties, zone thresholds, top N."""
from __future__ import annotations

import pytest

from archive.districts.scoring import CriterionRule, shared_ranks, top, weighted_total, zone_for

FOUR = [CriterionRule("a", 40, None), CriterionRule("b", 30, None), CriterionRule("c", 20, None),
        CriterionRule("d", 10, None)]


def test_total_is_the_weighted_mean_of_all_sub_scores():
    assert weighted_total({"a": 90, "b": 80, "c": 70, "d": 100}, FOUR) == 84.0
    # a maximum other than 100 is scaled to 100 first
    rules = [CriterionRule("a", 1, 50), CriterionRule("b", 1, None)]
    assert weighted_total({"a": 45, "b": 80}, rules) == 85.0


@pytest.mark.parametrize("values, rules", [
    ({"a": 90, "b": 80, "c": 70}, FOUR),                           # a sub-score missing
    ({"a": 90, "b": 80, "c": 70, "d": None}, FOUR),
    ({"a": 90}, [CriterionRule("a", None, None)]),                 # weight not known
    ({"a": 90}, [CriterionRule("a", 0, None)]),                    # weights add up to 0
    ({}, []),                                                      # no criteria
])
def test_no_total_is_computed_without_every_sub_score_and_weight(values, rules):
    assert weighted_total(values, rules) is None


def test_equal_totals_share_a_rank_and_the_next_rank_skips():
    ranks = shared_ranks({1: 93.56, 2: 89.89, 3: 89.89, 4: 88.08, 5: None, 6: 87.04})
    assert ranks == {1: 1, 2: 2, 3: 2, 4: 4, 6: 5}
    assert shared_ranks({}) == {}


def test_the_articles_ten_totals_rank_one_to_ten():
    from archive.seed import TOP_TEN_2018

    ranks = shared_ranks({i: total for i, (_name, total) in enumerate(TOP_TEN_2018)})
    assert [ranks[i] for i in range(10)] == list(range(1, 11))


@pytest.mark.parametrize("total, zone", [(90, "green"), (85, "green"), (84.99, "yellow"),
                                         (70, "yellow"), (69.99, "red"), (0, "red")])
def test_zone_from_thresholds(total, zone):
    assert zone_for(total, 85, 70) == zone


def test_no_zone_without_a_total_or_thresholds():
    assert zone_for(None, 85, 70) is None
    assert zone_for(90, None, 70) is None
    assert zone_for(90, 85, None) is None


def test_top_n_brings_in_everyone_tied_at_the_last_place():
    ranks = {10: 1, 11: 2, 12: 3, 13: 3, 14: 5}
    assert top(ranks, 3) == [10, 11, 12, 13]
    assert top(ranks, 2) == [10, 11]
    assert top(ranks, 1) == [10]
