import Foundation

exit(VaultCommandLine.run(Array(CommandLine.arguments.dropFirst())))
