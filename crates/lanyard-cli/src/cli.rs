//! The command-line surface of DESIGN.md, as clap types. Each command's arguments are declared
//! here once; `main` dispatches on them.

use clap::{Args, Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

/// Sign in to AWS IAM Identity Center, keep sessions alive, and manage ~/.aws/config.
#[derive(Debug, Parser)]
#[command(name = "lanyard", version, about, propagate_version = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Every `lanyard` command.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Sign in to an SSO session (always a new sign-in, like `aws sso login`)
    Login(LoginArgs),
    /// Sign out of an SSO session, like `aws sso logout`
    Logout(LogoutArgs),
    /// Show every SSO session, its state and time left
    Status(StatusArgs),
    /// Print a valid access token for a session, refreshing it first if needed
    Token(TokenArgs),
    /// Check what sign-in needs: config, tokens, endpoints, browser, clock
    Doctor(DoctorArgs),
    /// Create or update SSO sessions and profiles, like `aws configure`
    #[command(subcommand)]
    Configure(ConfigureCommand),
    /// List, show and edit profiles in the AWS config file
    #[command(subcommand)]
    Profiles(ProfilesCommand),
    /// Accounts and roles available to an SSO session
    #[command(subcommand)]
    Accounts(AccountsCommand),
    /// Write one profile per account and role of an SSO session
    Populate(PopulateArgs),
    /// Print role credentials for a profile as `credential_process` JSON
    Credentials(CredentialsArgs),
    /// Print role credentials for a profile in a shell's format
    Export(ExportArgs),
    /// Show who a profile's credentials belong to (STS GetCallerIdentity)
    Whoami(WhoamiArgs),
    /// Open the AWS console signed in as a profile
    Console(ConsoleArgs),
    /// Show, check and restore the AWS config file
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Print a shell completion script
    Completions {
        /// The shell to complete for
        shell: Shell,
    },
}

impl Command {
    /// The command's name as typed, for messages.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Command::Login(_) => "login",
            Command::Logout(_) => "logout",
            Command::Status(_) => "status",
            Command::Token(_) => "token",
            Command::Doctor(_) => "doctor",
            Command::Configure(ConfigureCommand::SsoSession(_)) => "configure sso-session",
            Command::Configure(ConfigureCommand::Sso(_)) => "configure sso",
            Command::Profiles(p) => match p {
                ProfilesCommand::List(_) => "profiles list",
                ProfilesCommand::Show { .. } => "profiles show",
                ProfilesCommand::Set { .. } => "profiles set",
                ProfilesCommand::Unset { .. } => "profiles unset",
                ProfilesCommand::Remove { .. } => "profiles remove",
                ProfilesCommand::Rename { .. } => "profiles rename",
                ProfilesCommand::Use { .. } => "profiles use",
                ProfilesCommand::Migrate { .. } => "profiles migrate",
            },
            Command::Accounts(AccountsCommand::List { .. }) => "accounts list",
            Command::Populate(_) => "populate",
            Command::Credentials(_) => "credentials",
            Command::Export(_) => "export",
            Command::Whoami(_) => "whoami",
            Command::Console(_) => "console",
            Command::Config(c) => match c {
                ConfigCommand::Show { .. } => "config show",
                ConfigCommand::Check { .. } => "config check",
                ConfigCommand::Restore { .. } => "config restore",
            },
            Command::Completions { .. } => "completions",
        }
    }

    /// Whether a failure is also printed on stdout as `{"error": {"code", "message"}}` (the
    /// code the window uses too): `--json` of the commands that write what is typed, and of
    /// `console`, which otherwise print nothing machine-readable.
    pub(crate) fn json_errors(&self) -> bool {
        match self {
            Command::Configure(ConfigureCommand::SsoSession(a)) => a.json,
            Command::Configure(ConfigureCommand::Sso(a)) => a.json,
            Command::Profiles(ProfilesCommand::Set { json, .. }) => *json,
            Command::Populate(a) => a.json,
            Command::Console(a) => a.json,
            _ => false,
        }
    }
}

/// Which session(s) a command acts on.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub(crate) struct SessionTarget {
    /// The profile whose SSO session to use (default: AWS_PROFILE, then `default`)
    #[arg(long)]
    pub(crate) profile: Option<String>,
    /// The SSO session by name
    #[arg(long)]
    pub(crate) sso_session: Option<String>,
    /// Every SSO session in the config
    #[arg(long)]
    pub(crate) all: bool,
}

#[derive(Debug, Args)]
pub(crate) struct LogoutArgs {
    #[command(flatten)]
    pub(crate) target: SessionTarget,
    /// Also remove what a sign-out keeps (the client registration), so nothing of the
    /// session is left in the keychain or the cache
    #[arg(long)]
    pub(crate) forget: bool,
}

#[derive(Debug, Args)]
pub(crate) struct LoginArgs {
    #[command(flatten)]
    pub(crate) target: SessionTarget,
    /// Use the device-code flow instead of the browser redirect (PKCE)
    #[arg(long)]
    pub(crate) use_device_code: bool,
    /// Print the sign-in URL instead of opening a browser
    #[arg(long)]
    pub(crate) no_browser: bool,
    /// A fixed port for the loopback redirect (default: any free port)
    #[arg(long, value_name = "N")]
    pub(crate) redirect_port: Option<u16>,
}

/// `lanyard doctor` options.
#[derive(Debug, Args)]
pub(crate) struct DoctorArgs {
    /// The profile whose endpoints and CA bundle to check (default: the profile in force)
    #[arg(long)]
    pub(crate) profile: Option<String>,
    /// Print JSON: {"checks":[{"check","subject","status","detail","fix"}],"verdict","ok"}
    #[arg(long)]
    pub(crate) json: bool,
}

/// `lanyard status` options.
#[derive(Debug, Args)]
#[group(multiple = false)]
pub(crate) struct StatusArgs {
    /// Print JSON
    #[arg(long)]
    pub(crate) json: bool,
    /// Print one short line for shell prompts
    #[arg(long)]
    pub(crate) prompt: bool,
}

#[derive(Debug, Args)]
pub(crate) struct TokenArgs {
    /// The SSO session by name
    #[arg(long)]
    pub(crate) sso_session: String,
    /// Print JSON with the token and its expiry
    #[arg(long)]
    pub(crate) json: bool,
}

/// Where tokens of an SSO session are kept.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum Storage {
    /// The AWS CLI's cache under ~/.aws/sso/cache (default)
    File,
    /// The OS keychain (secure mode)
    Keychain,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ConfigureCommand {
    /// Create or update an [sso-session] section
    SsoSession(ConfigureSsoSessionArgs),
    /// Create a profile for an account and role, like `aws configure sso`
    Sso(ConfigureSsoArgs),
}

#[derive(Debug, Args)]
pub(crate) struct ConfigureSsoSessionArgs {
    /// The session's name
    #[arg(long)]
    pub(crate) name: Option<String>,
    /// The AWS access portal URL (sso_start_url): an https:// URL with a host, anything else
    /// is refused
    #[arg(long)]
    pub(crate) start_url: Option<String>,
    /// The Identity Center region (sso_region): a name botocore accepts, such as us-east-1
    #[arg(long)]
    pub(crate) region: Option<String>,
    /// Registration scopes, comma-separated (sso_registration_scopes)
    #[arg(long)]
    pub(crate) scopes: Option<String>,
    /// Where the session's tokens are kept; switching moves them and rewrites the session's
    /// profiles (secure profiles run `lanyard credentials` as their credential_process)
    #[arg(long, value_enum)]
    pub(crate) storage: Option<Storage>,
    /// Always sign in to this session with a device code (writes sso_use_device_code = true)
    #[arg(long, conflicts_with = "no_use_device_code")]
    pub(crate) use_device_code: bool,
    /// Sign in with the browser again (removes sso_use_device_code)
    #[arg(long)]
    pub(crate) no_use_device_code: bool,
    /// On failure, also print {"error": {"code", "message"}} on stdout
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ConfigureSsoArgs {
    /// The profile to write (default: {role}-{account})
    #[arg(long)]
    pub(crate) profile: Option<String>,
    /// The SSO session to sign in with
    #[arg(long)]
    pub(crate) sso_session: Option<String>,
    /// The account id (12 digits); one the portal does not list is written with a warning
    #[arg(long)]
    pub(crate) account_id: Option<String>,
    /// The role (permission set) name
    #[arg(long)]
    pub(crate) role_name: Option<String>,
    /// The profile's default region (a name botocore accepts, such as eu-west-1)
    #[arg(long)]
    pub(crate) region: Option<String>,
    /// The profile's output format: json, text, table, yaml or yaml-stream
    #[arg(long)]
    pub(crate) output: Option<String>,
    /// Write an output format the AWS CLI Lanyard knows does not have (one a newer AWS CLI
    /// knows); start URLs, regions and account ids are never forced
    #[arg(long)]
    pub(crate) force: bool,
    /// Use the device-code flow if a sign-in is needed
    #[arg(long)]
    pub(crate) use_device_code: bool,
    /// Print the sign-in URL instead of opening a browser
    #[arg(long)]
    pub(crate) no_browser: bool,
    /// On failure, also print {"error": {"code", "message"}} on stdout
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct JsonFlag {
    /// Print JSON
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ProfilesCommand {
    /// List every profile
    List(JsonFlag),
    /// Show one profile's keys as the AWS CLI reads them
    Show {
        /// The profile
        name: String,
        #[command(flatten)]
        json: JsonFlag,
    },
    /// Set keys of a profile (a sub-key as `s3.max_concurrent_requests=20`), creating it if
    /// missing. Refused, with nothing written: an sso_start_url that is not https:// with a
    /// host, a region or sso_region botocore refuses, an account id that is not 12 digits, an
    /// output that is not json, text, table, yaml or yaml-stream (see --force). An account or
    /// role the portal does not list (in the account cache) is written with a warning.
    Set {
        /// The profile
        name: String,
        /// `key=value` pairs
        #[arg(required = true, value_name = "KEY=VALUE")]
        pairs: Vec<String>,
        /// Write an output format Lanyard does not know (one a newer AWS CLI knows)
        #[arg(long)]
        force: bool,
        /// On failure, also print {"error": {"code", "message"}} on stdout
        #[arg(long)]
        json: bool,
    },
    /// Remove keys from a profile
    Unset {
        /// The profile
        name: String,
        /// Keys to remove
        #[arg(required = true, value_name = "KEY")]
        keys: Vec<String>,
    },
    /// Remove a profile
    Remove {
        /// The profile
        name: String,
    },
    /// Rename a profile
    Rename {
        /// The current name
        old: String,
        /// The new name
        new: String,
    },
    /// Make a profile the one tools use when no --profile is given
    Use {
        /// The profile
        #[arg(required_unless_present = "restore")]
        name: Option<String>,
        /// Put back the default profile that was there before the first switch
        #[arg(long, conflicts_with = "name")]
        restore: bool,
        /// When [default] was changed since Lanyard made it mirror a profile: carry the change
        /// over to the new default
        #[arg(long, conflicts_with = "discard_changes")]
        keep_changes: bool,
        /// When [default] was changed since Lanyard made it mirror a profile: drop the change
        /// (the file as it was stays in the backups)
        #[arg(long)]
        discard_changes: bool,
    },
    /// Turn a legacy SSO profile into one that uses an sso-session (refreshable)
    Migrate {
        /// The profile
        name: String,
        /// The session to create or reuse
        #[arg(long)]
        sso_session: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum AccountsCommand {
    /// List accounts and their roles
    List {
        /// The SSO session
        #[arg(long)]
        sso_session: Option<String>,
        /// Fetch fresh lists from the portal instead of the cache
        #[arg(long)]
        refresh: bool,
        /// Portal requests per second (default: portal_rate_limit in the settings, 20)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
        rate_limit: Option<u32>,
        #[command(flatten)]
        json: JsonFlag,
    },
}

#[derive(Debug, Args)]
pub(crate) struct PopulateArgs {
    /// The SSO session
    #[arg(long)]
    pub(crate) sso_session: String,
    /// Profile name template: {account_name} {account_id} {role_name} {session}
    #[arg(long)]
    pub(crate) template: Option<String>,
    /// The generated profiles' region (a name botocore accepts, such as eu-west-1)
    #[arg(long)]
    pub(crate) region: Option<String>,
    /// The generated profiles' output format: json, text, table, yaml or yaml-stream
    #[arg(long)]
    pub(crate) output: Option<String>,
    /// Write an output format Lanyard does not know (one a newer AWS CLI knows)
    #[arg(long)]
    pub(crate) force: bool,
    /// On failure, also print {"error": {"code", "message"}} on stdout
    #[arg(long)]
    pub(crate) json: bool,
    /// Print the diff of the config and write nothing
    #[arg(long)]
    pub(crate) dry_run: bool,
    /// Also remove generated profiles whose account or role is gone
    #[arg(long, conflicts_with = "remove")]
    pub(crate) prune: bool,
    /// Remove every profile generated for the session
    #[arg(long)]
    pub(crate) remove: bool,
    /// Do not ask before writing
    #[arg(long)]
    pub(crate) yes: bool,
    /// Portal requests per second (default: portal_rate_limit in the settings, 20)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub(crate) rate_limit: Option<u32>,
}

#[derive(Debug, Args)]
pub(crate) struct CredentialsArgs {
    /// The profile
    #[arg(long)]
    pub(crate) profile: String,
    /// Sign in if no valid token exists
    #[arg(long)]
    pub(crate) login: bool,
    /// Write the credentials into ~/.aws/credentials
    #[arg(long)]
    pub(crate) write: bool,
    /// The section to write them to (default: the profile's name)
    #[arg(long, requires = "write", value_name = "NAME")]
    pub(crate) r#as: Option<String>,
    /// Also write into a section of your own (one Lanyard did not write): its credential keys
    /// are replaced until sign-out puts them back; the section as it was is kept in a backup
    #[arg(long, requires = "write")]
    pub(crate) force: bool,
}

/// Output formats of `lanyard export`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ExportFormat {
    /// credential_process JSON
    Process,
    /// `export KEY=value` lines (bash, zsh)
    Env,
    /// `KEY=value` lines
    EnvNoExport,
    /// fish `set -gx` lines
    Fish,
    /// PowerShell `$Env:` lines
    Powershell,
    /// Windows cmd `set` lines
    WindowsCmd,
    /// a .env file
    Dotenv,
}

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// The profile
    #[arg(long)]
    pub(crate) profile: String,
    /// The output format
    #[arg(long, value_enum, default_value = "process")]
    pub(crate) format: ExportFormat,
}

#[derive(Debug, Args)]
pub(crate) struct WhoamiArgs {
    /// The profile
    #[arg(long)]
    pub(crate) profile: String,
    /// Print JSON (a failure too: {"error":{"code","message"}})
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ConsoleArgs {
    /// The profile
    #[arg(long)]
    pub(crate) profile: String,
    /// The console page to open: an https:// URL on an AWS console host
    /// (console.aws.amazon.com, console.amazonaws.cn, console.amazonaws-us-gov.com or a
    /// sub-domain such as eu-west-1.console.aws.amazon.com), or a path such as /s3/home, opened
    /// on the region's console; anything else is refused
    #[arg(long, value_name = "URL")]
    pub(crate) destination: Option<String>,
    /// The console region (a name botocore accepts, such as eu-west-1; default: the profile's)
    #[arg(long)]
    pub(crate) region: Option<String>,
    /// Print the sign-in URL instead of opening it
    #[arg(long)]
    pub(crate) print: bool,
    /// On failure, also print {"error": {"code", "message"}} on stdout
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ConfigCommand {
    /// Print the config as the AWS CLI reads it
    Show {
        /// Print JSON (botocore's load_config shape)
        #[arg(long)]
        json: bool,
    },
    /// Check the config for errors and surprises
    Check(JsonFlag),
    /// Put back a previous version of the config or credentials file (default: the most recent)
    Restore {
        /// Which backup, 1 being the most recent (see --list)
        #[arg(conflicts_with_all = ["list", "last_good"])]
        n: Option<usize>,
        /// The credentials file (~/.aws/credentials) instead of the config file
        #[arg(long)]
        credentials: bool,
        /// List what can be restored, with dates and sizes, and write nothing
        #[arg(long)]
        list: bool,
        /// The last good version (one the AWS CLI reads), kept apart from the last 10
        #[arg(long)]
        last_good: bool,
    },
}
