"""The SSO portal through botocore's sso client (AWS_ENDPOINT_URL_SSO): paginators, role
credentials, logout, assignment changes and the 429 rate limit."""
import re
import time
import urllib.parse

import pytest
from botocore.config import Config

from emulator_support import device_token


def all_accounts(sso, token, page_size):
    pages = list(sso.get_paginator("list_accounts").paginate(
        accessToken=token, PaginationConfig={"PageSize": page_size}))
    return pages, [a for p in pages for a in p["accountList"]]


def test_list_accounts_paginator_and_realistic_data(start_emulator, clients):
    emu = start_emulator("--accounts", "45", "--roles-per-account", "3")
    oidc, sso = clients(emu)
    _, tok = device_token(emu, oidc)
    pages, accounts = all_accounts(sso, tok["accessToken"], 10)
    assert [len(p["accountList"]) for p in pages] == [10, 10, 10, 10, 5]
    assert "nextToken" not in pages[-1] and all("nextToken" in p for p in pages[:-1])
    ids = [a["accountId"] for a in accounts]
    assert len(set(ids)) == 45 and all(re.fullmatch(r"\d{12}", i) for i in ids)
    names = [a["accountName"] for a in accounts]
    assert len(set(names)) == 45
    assert names[0] == "acme-management"
    assert all(re.fullmatch(r"acme-[a-z-]+", n) for n in names)
    assert any(n.endswith("-prod") for n in names) and any(n.endswith("-dev") for n in names)
    assert all(re.fullmatch(r"aws\+[a-z0-9-]+@acme\.example", a["emailAddress"])
               for a in accounts)
    assert emu.state()["calls"]["ListAccounts"] == 5


def test_seed_changes_the_data(start_emulator, clients):
    a, b = start_emulator("--seed", "0"), start_emulator("--seed", "7")
    ids = []
    for emu in (a, b):
        oidc, sso = clients(emu)
        _, tok = device_token(emu, oidc)
        ids.append([x["accountId"] for x in all_accounts(sso, tok["accessToken"], 100)[1]])
    assert ids[0] != ids[1]


def test_list_account_roles_paginator(start_emulator, clients):
    emu = start_emulator("--accounts", "2", "--roles-per-account", "7")
    oidc, sso = clients(emu)
    _, tok = device_token(emu, oidc)
    account = all_accounts(sso, tok["accessToken"], 100)[1][0]["accountId"]
    pages = list(sso.get_paginator("list_account_roles").paginate(
        accessToken=tok["accessToken"], accountId=account, PaginationConfig={"PageSize": 3}))
    assert [len(p["roleList"]) for p in pages] == [3, 3, 1]
    roles = [r["roleName"] for p in pages for r in p["roleList"]]
    assert roles[:3] == ["AdministratorAccess", "ReadOnlyAccess", "PowerUserAccess"]
    assert len(set(roles)) == 7
    assert all(r["accountId"] == account for p in pages for r in p["roleList"])


def test_max_result_out_of_range_is_invalid_request(emulator, clients):
    oidc, sso = clients(emulator)
    _, tok = device_token(emulator, oidc)
    from emulator_support import http
    status, headers, body = http("GET", f"{emulator.url}/assignment/accounts?max_result=101",
                                 headers={"x-amz-sso_bearer_token": tok["accessToken"]})
    assert status == 400 and headers["x-amzn-ErrorType"] == "InvalidRequestException"
    assert b'"message"' in body


def test_get_role_credentials(emulator, clients):
    oidc, sso = clients(emulator)
    _, tok = device_token(emulator, oidc)
    account = all_accounts(sso, tok["accessToken"], 100)[1][0]["accountId"]
    before_ms = int(time.time() * 1000)
    creds = sso.get_role_credentials(accessToken=tok["accessToken"], accountId=account,
                                     roleName="AdministratorAccess")["roleCredentials"]
    assert re.fullmatch(r"ASIA[A-Z2-7]{16}", creds["accessKeyId"])
    assert len(creds["secretAccessKey"]) == 40 and creds["sessionToken"]
    # Epoch milliseconds.
    assert before_ms + 3_590_000 <= creds["expiration"] <= before_ms + 3_610_000
    with pytest.raises(sso.exceptions.ClientError) as ei:
        sso.get_role_credentials(accessToken=tok["accessToken"], accountId=account,
                                 roleName="NotAssigned")
    assert ei.value.response["Error"]["Code"] == "ForbiddenException"
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert emulator.state()["role_credentials_issued"] == 1


def test_unknown_or_expired_token_is_unauthorized(emulator, clients):
    oidc, sso = clients(emulator)
    with pytest.raises(sso.exceptions.UnauthorizedException) as ei:
        sso.list_accounts(accessToken="aoa-not-a-token")
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 401
    assert ei.value.response["Error"]["Message"] == "Session token not found or invalid"
    _, tok = device_token(emulator, oidc)
    sso.list_accounts(accessToken=tok["accessToken"])
    emulator.admin("POST", "expire?access_token=" + urllib.parse.quote(tok["accessToken"]))
    with pytest.raises(sso.exceptions.UnauthorizedException):
        sso.list_accounts(accessToken=tok["accessToken"])


def test_logout_revokes_that_sign_ins_tokens(emulator, clients):
    oidc, sso = clients(emulator)
    reg, tok = device_token(emulator, oidc)
    _, other = device_token(emulator, oidc)
    sso.logout(accessToken=tok["accessToken"])
    with pytest.raises(sso.exceptions.UnauthorizedException):
        sso.list_accounts(accessToken=tok["accessToken"])
    with pytest.raises(oidc.exceptions.InvalidGrantException):
        oidc.create_token(clientId=reg["clientId"], clientSecret=reg["clientSecret"],
                          grantType="refresh_token", refreshToken=tok["refreshToken"])
    # Another sign-in is untouched.
    assert sso.list_accounts(accessToken=other["accessToken"])["accountList"]
    st = emulator.state()
    assert st["tokens"] == {"issued": 2, "revoked": 1}
    assert st["calls"]["Logout"] == 1


def test_assignments_removed_and_added(start_emulator, clients):
    emu = start_emulator("--accounts", "4", "--roles-per-account", "2")
    oidc, sso = clients(emu)
    _, tok = device_token(emu, oidc)
    t = tok["accessToken"]
    accounts = all_accounts(sso, t, 100)[1]
    gone, trimmed = accounts[1]["accountId"], accounts[2]["accountId"]
    roles = [r["roleName"] for r in sso.list_account_roles(accessToken=t, accountId=trimmed)["roleList"]]
    out = emu.admin("POST", "assignments", {
        "remove": [{"account_id": gone}, {"account_id": trimmed, "role_name": roles[0]}],
        "add": [{"account_id": "123456789012", "role_name": "Billing",
                 "account_name": "acme-new-prod"}],
    })
    assert out["accounts"] == 4 and out["assignments"] == 6
    listed = {a["accountId"]: a["accountName"] for a in all_accounts(sso, t, 100)[1]}
    assert gone not in listed and listed["123456789012"] == "acme-new-prod"
    assert [r["roleName"] for r in sso.list_account_roles(accessToken=t, accountId=trimmed)["roleList"]] == roles[1:]
    with pytest.raises(sso.exceptions.ClientError) as ei:
        sso.get_role_credentials(accessToken=t, accountId=gone, roleName=roles[0])
    assert ei.value.response["Error"]["Code"] == "ForbiddenException"


def test_429_retried_by_botocore_and_surfaced_without_retries(start_emulator, clients):
    emu = start_emulator("--rate-limit", "10")
    oidc, sso = clients(emu)
    _, tok = device_token(emu, oidc)
    _, no_retry = clients(emu, retries={"total_max_attempts": 1})
    with pytest.raises(no_retry.exceptions.TooManyRequestsException) as ei:
        for _ in range(30):
            no_retry.list_accounts(accessToken=tok["accessToken"])
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    throttled = emu.state()["responses"]["429"]
    assert throttled == 1
    # Default (legacy) and standard retry modes back off and get through.
    for mode in ("legacy", "standard"):
        _, retrying = clients(emu, retries={"mode": mode, "max_attempts": 10})
        for _ in range(5):
            assert retrying.list_accounts(accessToken=tok["accessToken"])["accountList"]
    st = emu.state()
    assert st["responses"]["429"] > throttled, st
    assert st["max_portal_requests_in_any_second"] >= 10


def test_rate_limit_counts_requests_per_second(start_emulator, clients):
    emu = start_emulator("--rate-limit", "20")
    oidc, sso = clients(emu)
    _, tok = device_token(emu, oidc)
    for _ in range(5):
        sso.list_accounts(accessToken=tok["accessToken"])
    st = emu.state()
    assert "429" not in st["responses"]
    assert 1 <= st["max_portal_requests_in_any_second"] <= 5
