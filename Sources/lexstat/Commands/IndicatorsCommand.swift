import ArgumentParser

struct IndicatorsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "List, show and import the indicator catalog (指标体系).",
        subcommands: [IndicatorsListCommand.self, IndicatorsShowCommand.self, IndicatorsImportCommand.self],
        defaultSubcommand: IndicatorsListCommand.self)
}
