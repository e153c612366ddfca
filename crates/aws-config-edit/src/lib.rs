//! Lossless model of the AWS config / credentials file format (filled in by the config-engine issue).
