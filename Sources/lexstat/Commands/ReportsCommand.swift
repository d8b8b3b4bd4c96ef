import ArgumentParser

struct ReportsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reports",
        abstract: "List, show, search and delete stored work reports.",
        subcommands: [ReportsListCommand.self, ReportsShowCommand.self, ReportsSearchCommand.self, ReportsDeleteCommand.self],
        defaultSubcommand: ReportsListCommand.self)
}
