import COpenBLAS
import Testing

@testable import Generation

/// OpenBLAS is opened when a model is first built, not linked: the functions the kernels call
/// must resolve and compute what their prototypes say.
@Suite struct BLASLibraryTests {
    @Test func theResolvedFunctionsMultiply() throws {
        let blas = try BLASLibrary.load()
        // a (2, 3) · b (3, 2) = c (2, 2), row-major.
        let a: [Float] = [1, 2, 3, 4, 5, 6]
        let b: [Float] = [7, 8, 9, 10, 11, 12]
        var c = [Float](repeating: -1, count: 4)
        blas.sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, 2, 2, 3, 1, a, 3, b, 2, 0, &c, 2)
        #expect(c == [58, 64, 139, 154])
        // a (2, 3) · x (3) = y (2), then aᵀ (3, 2) · y (2) through the transposed flag.
        let x: [Float] = [1, 0, -1]
        var y = [Float](repeating: -1, count: 2)
        blas.sgemv(CblasRowMajor, CblasNoTrans, 2, 3, 1, a, 3, x, 1, 0, &y, 1)
        #expect(y == [-2, -2])
        var z = [Float](repeating: -1, count: 3)
        blas.sgemv(CblasRowMajor, CblasTrans, 2, 3, 1, a, 3, y, 1, 0, &z, 1)
        #expect(z == [-10, -14, -18])
    }
}
