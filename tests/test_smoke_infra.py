def test_add_and_list(cli, arxiv):
    r = cli("add", "2101.03961")
    assert r.code == 0, r.err
    r = cli("list", "--json")
    assert [p["id"] for p in r.json] == ["2101.03961"]
