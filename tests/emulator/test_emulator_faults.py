"""The fault knob, POST /_emulator/faults (issue 20): every Nth portal request throttled and
OIDC/portal requests failing at a rate, as botocore's real clients see them — the modeled
TooManyRequestsException (429) and InternalServerException (500) — with failures that repeat
from run to run for one --seed."""
import json

import pytest

from emulator_support import device_token, http

# No retries: the test sees every answer the emulator gives.
NO_RETRIES = {"retries": {"total_max_attempts": 1}}


def test_every_nth_portal_request_is_throttled_with_the_modeled_exception(start_emulator,
                                                                          clients):
    emu = start_emulator()
    oidc, sso = clients(emu, **NO_RETRIES)
    _, tok = device_token(emu, oidc)
    assert emu.admin("POST", "faults?throttle_every=2") == {"throttle_every": 2,
                                                            "fail_rate": 0.0}
    outcomes = []
    for _ in range(6):
        try:
            sso.list_accounts(accessToken=tok["accessToken"])
            outcomes.append("ok")
        except sso.exceptions.TooManyRequestsException as e:
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 429
            assert e.response["Error"]["Code"] == "TooManyRequestsException"
            outcomes.append("429")
    assert outcomes == ["ok", "429"] * 3
    # The raw answer carries the header botocore maps by.
    status, headers, _ = http("GET", f"{emu.url}/assignment/accounts",
                              headers={"x-amz-sso_bearer_token": tok["accessToken"]})
    assert status == 200
    status, headers, body = http("GET", f"{emu.url}/assignment/accounts",
                                 headers={"x-amz-sso_bearer_token": tok["accessToken"]})
    assert status == 429 and headers["x-amzn-ErrorType"] == "TooManyRequestsException"
    assert "message" in json.loads(body)
    # OIDC is never throttled by it; reset turns it off.
    for _ in range(3):
        oidc.register_client(clientName="c", clientType="public")
    emu.admin("POST", "faults?reset")
    for _ in range(4):
        sso.list_accounts(accessToken=tok["accessToken"])


def test_fail_rate_fails_oidc_and_portal_with_500s_that_repeat_for_a_seed(start_emulator,
                                                                         clients):
    runs = []
    for _ in range(2):
        emu = start_emulator("--seed", "3")
        oidc, sso = clients(emu, **NO_RETRIES)
        _, tok = device_token(emu, oidc)
        emu.admin("POST", "faults?fail_rate=0.5")
        outcomes = []
        for _ in range(12):
            try:
                sso.list_accounts(accessToken=tok["accessToken"])
                outcomes.append("ok")
            except sso.exceptions.ClientError as e:
                assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 500
                outcomes.append(e.response["Error"]["Code"])
        runs.append(outcomes)
        emu.admin("POST", "faults?fail_rate=1")
        with pytest.raises(oidc.exceptions.InternalServerException):
            oidc.register_client(clientName="c", clientType="public")
        emu.admin("POST", "faults?reset")
        oidc.register_client(clientName="c", clientType="public")
    assert runs[0] == runs[1], "the same seed fails the same requests"
    assert "ok" in runs[0] and "InternalServerException" in runs[0], runs[0]


def test_bad_fault_values_are_refused(emulator):
    for query in ["throttle_every=-1", "throttle_every=x", "fail_rate=2", "fail_rate=nan", ""]:
        status, _, body = http("POST", f"{emulator.url}/_emulator/faults?{query}")
        assert status == 400, (query, body)
