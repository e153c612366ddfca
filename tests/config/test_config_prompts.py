"""`lanyard configure sso-session` on a terminal asks for what is missing, in the AWS CLI's
prompt style (`{text} [{current}]: `), driven here through a real pseudo-terminal."""
import botocore.configloader

from terminal_support import converse


def test_a_new_session_is_asked_for_and_written_as_the_cli_would(sandbox_env, config_path):
    config_path.write_text("# my config\n[default]\nregion = eu-west-1\n")
    code, screen = converse(["configure", "sso-session"], sandbox_env, [
        ("SSO session name: ", "corp"),
        ("SSO start URL [None]: ", "https://d-1234567890.awsapps.com/start"),
        ("SSO region [None]: ", "us-east-1"),
        ("SSO registration scopes [sso:account:access]: ", ""),  # Enter keeps the default
    ])
    assert code == 0, screen
    session = botocore.configloader.load_config(str(config_path))["sso_sessions"]["corp"]
    assert session == {"sso_start_url": "https://d-1234567890.awsapps.com/start",
                       "sso_region": "us-east-1",
                       "sso_registration_scopes": "sso:account:access"}
    assert config_path.read_text().startswith("# my config\n[default]\nregion = eu-west-1\n")


def test_an_existing_session_offers_its_values_and_enter_keeps_them(sandbox_env, config_path):
    config_path.write_text("[sso-session corp]\nsso_start_url = https://d-1.awsapps.com/start\n"
                           "sso_region = us-east-1\n")
    before = config_path.read_text()
    code, screen = converse(["configure", "sso-session", "--name", "corp"], sandbox_env, [
        ("SSO start URL [https://d-1.awsapps.com/start]: ", ""),
        ("SSO region [us-east-1]: ", "eu-central-1"),
        ("SSO registration scopes [None]: ", ""),
    ])
    assert code == 0, screen
    assert config_path.read_text() == before.replace("us-east-1", "eu-central-1")
