import ArgumentParser
import LexstatRPC

@main
struct Lexstat: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lexstat",
        abstract: "Query and feed a Lexstat server: reports and indicators of judicial-administration bureaus.",
        discussion: """
            Every command takes --server, --format, --timeout and --token-file after its own arguments. \
            The server defaults to LEXSTAT_SERVER, else the local daemon of `make run` \
            (var/lexstatd.sock, then 127.0.0.1:7433).
            """,
        version: LexstatVersion.string,
        subcommands: [
            HealthCommand.self, MethodsCommand.self,
            RegionsCommand.self, IndicatorsCommand.self, ReportsCommand.self,
            ImportCommand.self, ExportCommand.self, ObservationsCommand.self,
            SeriesCommand.self, CompareCommand.self, RollupCommand.self, TargetsCommand.self,
            IngestCommand.self, ExtractCommand.self,
            ScoreCommand.self, IndexCommand.self, CheckCommand.self, BulletinCommand.self,
        ])
}
