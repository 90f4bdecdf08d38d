from tests.factories import case_in


def test_walks_to_closed(session, world):
    case = case_in(session, world, "closed")
    assert case.reference.startswith("LS-")
    assert [e.trigger for e in case.events][0] == "submit"
