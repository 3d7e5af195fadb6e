from collections import Counter

import pytest

from afina.data.split import check_no_leakage, drop_duplicates, split_records
from afina.errors import DataError


def _records(n, label=None):
    return [
        {"prompt": f"q{i}", "completion": f"a{i}", "source_row": i + 1} | ({"label": label(i)} if label else {})
        for i in range(n)
    ]


def test_split_is_repeatable_with_the_seed_and_loses_no_row():
    records = _records(100)
    a, b = split_records(records, 0.1, 0.2, seed=3), split_records(records, 0.1, 0.2, seed=3)
    assert a == b
    assert {k: len(v) for k, v in a.items()} == {"train": 70, "validation": 10, "test": 20}
    assert sorted(r["source_row"] for v in a.values() for r in v) == list(range(1, 101))
    assert split_records(records, 0.1, 0.2, seed=4) != a


def test_rows_sharing_a_prompt_stay_in_one_split():
    records = [{"prompt": f"Q{i // 3}  ", "completion": f"a{i}", "source_row": i + 1} for i in range(60)]
    splits = split_records(records, 0.2, 0.2, seed=0)
    check_no_leakage(splits, {"train": "f", "validation": "f", "test": "f"})
    where = {}
    for name, rows in splits.items():
        for r in rows:
            assert where.setdefault(r["prompt"].strip().lower(), name) == name


def test_split_is_stratified_by_label():
    records = [{"text": f"t{i}", "label": "rare" if i % 10 == 0 else "common", "source_row": i + 1} for i in range(200)]
    splits = split_records(records, 0.1, 0.1, seed=0)
    assert Counter(r["label"] for r in splits["test"]) == {"common": 18, "rare": 2}


def test_duplicates_are_dropped_and_listed():
    records = _records(3) + [{"prompt": "q1", "completion": "a1", "source_row": 4}]
    kept, dropped = drop_duplicates(records)
    assert len(kept) == 3 and dropped == [{"row": 4, "reason": "exact duplicate of row 2"}]


def test_leakage_across_splits_is_refused():
    splits = {
        "train": [{"prompt": "Hola", "source_row": 1}],
        "validation": [],
        "test": [{"prompt": "hola ", "source_row": 7}],
    }
    with pytest.raises(DataError) as info:
        check_no_leakage(splits, {"train": "train.csv", "validation": "train.csv", "test": "test.csv"})
    assert info.value.file == "test.csv" and info.value.row == 7 and "train.csv, row 1" in str(info.value)
