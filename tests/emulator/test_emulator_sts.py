"""STS GetCallerIdentity through boto3 (AWS_ENDPOINT_URL_STS) with role credentials the emulator
issued, SigV4 verified; and console federation with the same credentials."""
import datetime as dt
import email.utils
import json
import re
import urllib.parse

import boto3
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from emulator_support import REGION, device_token, http


def role_credentials(emu, clients, role="AdministratorAccess"):
    oidc, sso = clients(emu)
    _, tok = device_token(emu, oidc)
    acct = sso.list_accounts(accessToken=tok["accessToken"])["accountList"][0]
    c = sso.get_role_credentials(accessToken=tok["accessToken"], accountId=acct["accountId"],
                                 roleName=role)["roleCredentials"]
    return acct, c


def sts_client(c, **override):
    keys = {"aws_access_key_id": c["accessKeyId"],
            "aws_secret_access_key": c["secretAccessKey"],
            "aws_session_token": c["sessionToken"], **override}
    return boto3.client("sts", region_name=REGION, **keys)


def test_get_caller_identity_with_role_credentials(emulator, clients):
    acct, c = role_credentials(emulator, clients)
    ident = sts_client(c).get_caller_identity()
    assert ident["Account"] == acct["accountId"]
    assert re.fullmatch(rf"arn:aws:sts::{acct['accountId']}:assumed-role/"
                        r"AWSReservedSSO_AdministratorAccess_[0-9a-f]{16}/jane\.doe@acme\.example",
                        ident["Arn"])
    assert ident["UserId"].startswith("AROA")


def test_wrong_secret_is_signature_does_not_match(emulator, clients):
    _, c = role_credentials(emulator, clients)
    sts = sts_client(c, aws_secret_access_key="x" * 40)
    with pytest.raises(sts.exceptions.ClientError) as ei:
        sts.get_caller_identity()
    err = ei.value.response["Error"]
    assert err["Code"] == "SignatureDoesNotMatch" and err["Type"] == "Sender"
    assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_error_xml_is_shaped_like_sts(emulator, clients):
    _, c = role_credentials(emulator, clients)
    req = AWSRequest(method="POST", url=emulator.url + "/",
                     data="Action=GetCallerIdentity&Version=2011-06-15",
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials(c["accessKeyId"], "wrong" * 8, c["sessionToken"]), "sts",
              REGION).add_auth(req)
    status, headers, body = http("POST", req.url, req.body, dict(req.headers))
    assert status == 403 and headers["Content-Type"].startswith("text/xml")
    text = body.decode()
    assert re.search(r"<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\s*"
                     r"<Error>\s*<Type>Sender</Type>\s*<Code>SignatureDoesNotMatch</Code>\s*"
                     r"<Message>The request signature we calculated does not match", text), text
    assert re.search(r"<RequestId>[0-9a-f-]{36}</RequestId>", text)
    # The same request signed with the right secret passes: the emulator really checks the
    # signature over the canonical request rather than trusting the key id.
    req = AWSRequest(method="POST", url=emulator.url + "/",
                     data="Action=GetCallerIdentity&Version=2011-06-15",
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials(c["accessKeyId"], c["secretAccessKey"], c["sessionToken"]), "sts",
              REGION).add_auth(req)
    status, _, body = http("POST", req.url, req.body, dict(req.headers))
    assert status == 200 and b"<GetCallerIdentityResponse" in body
    # Tamper with the signed body: mismatch again.
    status, _, body = http("POST", req.url, req.body + b"&x=1", dict(req.headers))
    assert status == 403 and b"SignatureDoesNotMatch" in body
    # No signature at all.
    status, _, body = http("POST", emulator.url + "/", "Action=GetCallerIdentity&Version=2011-06-15",
                           {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 403 and b"<Code>MissingAuthenticationToken</Code>" in body


def test_unknown_key_and_foreign_session_token_are_invalid_client_token_id(emulator, clients):
    _, c = role_credentials(emulator, clients)
    for override in ({"aws_access_key_id": "ASIAAAAAAAAAAAAAAAAA"},
                     {"aws_session_token": "IQoJb3JpZ2luX2VjEnotours"}):
        sts = sts_client(c, **override)
        with pytest.raises(sts.exceptions.ClientError) as ei:
            sts.get_caller_identity()
        assert ei.value.response["Error"]["Code"] == "InvalidClientTokenId"
        assert ei.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_expired_role_credentials(start_emulator, clients):
    emu = start_emulator("--token-ttl", "60")
    _, c = role_credentials(emu, clients)
    emu.advance(61)
    sts = sts_client(c)
    with pytest.raises(sts.exceptions.ClientError) as ei:
        sts.get_caller_identity()
    assert ei.value.response["Error"]["Code"] == "ExpiredToken"


def test_presigned_get(emulator, clients):
    acct, c = role_credentials(emulator, clients)
    url = sts_client(c).generate_presigned_url("get_caller_identity", ExpiresIn=60,
                                           HttpMethod="GET")
    assert url.startswith(emulator.url + "/?")
    status, _, body = http("GET", url)
    assert status == 200, body
    assert f"<Account>{acct['accountId']}</Account>".encode() in body


def test_clock_skew_moves_date_and_signature_window(start_emulator, clients):
    emu = start_emulator("--clock-skew", "3600")
    _, headers, _ = http("GET", emu.url + "/")
    served = email.utils.parsedate_to_datetime(headers["Date"])
    ahead = (served - dt.datetime.now(dt.timezone.utc)).total_seconds()
    assert 3590 < ahead < 3610, headers["Date"]
    _, c = role_credentials(emu, clients)
    # Expiration is reckoned on the emulator's clock too.
    now_ms = dt.datetime.now(dt.timezone.utc).timestamp() * 1000
    assert c["expiration"] - now_ms > 7_100_000
    sts = sts_client(c)
    with pytest.raises(sts.exceptions.ClientError) as ei:
        sts.get_caller_identity()
    assert ei.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    assert "Signature expired" in ei.value.response["Error"]["Message"]


def test_console_federation(emulator, clients):
    acct, c = role_credentials(emulator, clients, role="ReadOnlyAccess")
    session = json.dumps({"sessionId": c["accessKeyId"], "sessionKey": c["secretAccessKey"],
                          "sessionToken": c["sessionToken"]})
    q = urllib.parse.urlencode({"Action": "getSigninToken", "SessionDuration": "3600",
                                "Session": session})
    status, _, body = http("GET", f"{emulator.url}/federation?{q}")
    assert status == 200
    token = json.loads(body)["SigninToken"]
    q = urllib.parse.urlencode({"Action": "login", "Issuer": "lanyard",
                                "Destination": "https://console.aws.amazon.com/",
                                "SigninToken": token})
    status, _, page = http("GET", f"{emulator.url}/federation?{q}")
    assert status == 200
    assert acct["accountName"].encode() in page and acct["accountId"].encode() in page
    assert b"ReadOnlyAccess" in page and b"https://console.aws.amazon.com/" in page
    # Wrong secret, bad duration, bad token.
    bad = json.dumps({"sessionId": c["accessKeyId"], "sessionKey": "x",
                      "sessionToken": c["sessionToken"]})
    for params in ({"Action": "getSigninToken", "Session": bad},
                   {"Action": "getSigninToken", "Session": session, "SessionDuration": "60"},
                   {"Action": "login", "Destination": "https://console.aws.amazon.com/",
                    "SigninToken": "nope"}):
        status, _, _ = http("GET", f"{emulator.url}/federation?" + urllib.parse.urlencode(params))
        assert status == 400, params
    st = emulator.state()["calls"]
    assert st["GetSigninToken"] == 3 and st["ConsoleLogin"] == 2
