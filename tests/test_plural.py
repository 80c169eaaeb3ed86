from console.plural import plural


def test_counts_agree_with_their_noun():
    assert [plural(n, "frame") for n in (0, 1, 2)] == ["0 frames", "1 frame", "2 frames"]
    assert plural(1, "live gig") == "1 live gig"
    assert plural(12000, "worker", grouped=True) == "12,000 workers"
    assert plural(3, "match", "matches") == "3 matches"
