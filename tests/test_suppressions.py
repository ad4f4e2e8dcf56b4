"""Inline suppressions: `! ipsec-preflight: disable=CODE` (Cisco) and `# ...` (Huawei/H3C) mark findings as
suppressed (still reported) for the block that follows, or for the whole file with disable-file=."""
from conftest import FIXTURES, codes, edit, load_pair


def _flags(results, code):
    return [f.suppressed for r in results for f in r.findings if f.code == code]


def test_block_suppression_marks_finding_in_that_block(run):
    conn, cfg = load_pair("ikev1-map")
    cfg = edit(cfg, (" set pfs group14\n", " set pfs group5\n"),
               ("crypto map CMAP-WAN 10 ipsec-isakmp", "! ipsec-preflight: disable=PfsMismatch\n"
                                                       "crypto map CMAP-WAN 10 ipsec-isakmp"))
    results = run(conn, cfg)
    assert _flags(results, "PfsMismatch") == [True]
    assert "InvalidSuppression" not in codes(results)


def test_block_suppression_does_not_reach_other_blocks(run):
    conn, cfg = load_pair("ikev1-map")
    # the comment sits above the interface block, not above the crypto map that carries the PFS line
    cfg = edit(cfg, (" set pfs group14\n", " set pfs group5\n"),
               ("interface GigabitEthernet0/1\n", "! ipsec-preflight: disable=PfsMismatch\n"
                                                  "interface GigabitEthernet0/1\n"))
    assert _flags(run(conn, cfg), "PfsMismatch") == [False]


def test_file_suppression_and_unknown_code(run):
    conn, cfg = load_pair("ikev1-map")
    cfg = "! ipsec-preflight: disable-file=PfsMismatch, LifetimeMismach\n" + edit(
        cfg, (" set pfs group14\n", " set pfs group5\n"))
    results = run(conn, cfg)
    assert _flags(results, "PfsMismatch") == [True]
    bad = [f for r in results for f in r.findings if f.code == "InvalidSuppression"]
    assert len(bad) == 1 and "LifetimeMismach" in bad[0].message and bad[0].device.line == 1


def test_huawei_hash_form(run):
    conn, _ = load_pair("ikev1-map")
    cfg = (FIXTURES / "pairs" / "ikev1-map.huawei.cfg").read_text()
    cfg = edit(cfg, (" pfs dh-group14\n", " pfs dh-group5\n"),
               ("ipsec policy ALIYUN-MAP 10 isakmp", "# ipsec-preflight: disable=PfsMismatch\n"
                                                    "ipsec policy ALIYUN-MAP 10 isakmp"))
    assert _flags(run(conn, cfg), "PfsMismatch") == [True]


def test_suppressed_findings_do_not_fail_the_exit_code(tmp_path):
    from typer.testing import CliRunner

    from analyzer.cli import app

    conn, cfg = load_pair("ikev1-map")
    import json
    (tmp_path / "c.json").write_text(json.dumps(conn))
    (tmp_path / "d.cfg").write_text("! ipsec-preflight: disable-file=PfsMismatch\n" +
                                    edit(cfg, (" set pfs group14\n", " set pfs group5\n")))
    res = CliRunner().invoke(app, ["check", str(tmp_path / "c.json"), str(tmp_path / "d.cfg")])
    assert res.exit_code == 0, res.output
    assert "PfsMismatch" in res.output and "[suppressed]" in res.output
