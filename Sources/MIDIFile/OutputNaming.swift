import Foundation

/// Names output files after their inputs inside one folder; inputs that share a name
/// (the same file name in different folders) get `-2`, `-3`, … so no output overwrites another.
public enum OutputNaming {
    public static func paths(for inputs: [String], in directory: String, extension fileExtension: String) -> [String] {
        var taken = Set<String>()
        return inputs.map { input in
            let base = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
            var name = "\(base).\(fileExtension)"
            var counter = 2
            while taken.contains(name.lowercased()) {
                name = "\(base)-\(counter).\(fileExtension)"
                counter += 1
            }
            taken.insert(name.lowercased())
            return URL(fileURLWithPath: directory).appendingPathComponent(name).path
        }
    }
}
