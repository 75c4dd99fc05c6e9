//! egui's triangles drawn on the CPU, the way `egui_glow` draws them on the GPU: vertex colours
//! (premultiplied, in gamma space) times the texture's texel, blended over the frame with
//! `ONE, ONE_MINUS_SRC_ALPHA`; pixel centres sampled, edges shared by two triangles drawn once
//! (the top-left rule), textures filtered as their options say.

use std::collections::HashMap;

use egui::epaint::{ClippedPrimitive, ImageDelta, Mesh, Primitive, Vertex};
use egui::{Color32, ImageData, TextureFilter, TextureId, TexturesDelta};

/// One texture egui asked for, kept as its pixels.
struct Texture {
    size: [usize; 2],
    pixels: Vec<Color32>,
    magnification: TextureFilter,
}

impl Texture {
    /// The texel at `uv`, premultiplied, each channel 0–255.
    fn sample(&self, u: f32, v: f32) -> [f32; 4] {
        let [width, height] = self.size;
        if width == 0 || height == 0 {
            return [255.0; 4];
        }
        let texel = |x: isize, y: isize| {
            let x = x.clamp(0, width as isize - 1) as usize;
            let y = y.clamp(0, height as isize - 1) as usize;
            let c = self.pixels[y * width + x];
            [
                f32::from(c.r()),
                f32::from(c.g()),
                f32::from(c.b()),
                f32::from(c.a()),
            ]
        };
        let x = u * width as f32 - 0.5;
        let y = v * height as f32 - 0.5;
        match self.magnification {
            TextureFilter::Nearest => texel(x.round() as isize, y.round() as isize),
            TextureFilter::Linear => {
                let (x0, y0) = (x.floor(), y.floor());
                let (fx, fy) = (x - x0, y - y0);
                let (x0, y0) = (x0 as isize, y0 as isize);
                if fx == 0.0 && fy == 0.0 {
                    // On a texel centre (text drawn 1:1): that texel, unblended.
                    return texel(x0, y0);
                }
                let (a, b) = (texel(x0, y0), texel(x0 + 1, y0));
                let (c, d) = (texel(x0, y0 + 1), texel(x0 + 1, y0 + 1));
                let mut out = [0.0; 4];
                for i in 0..4 {
                    let top = a[i] + (b[i] - a[i]) * fx;
                    let bottom = c[i] + (d[i] - c[i]) * fx;
                    out[i] = top + (bottom - top) * fy;
                }
                out
            }
        }
    }
}

/// The frame being drawn: `0x00RRGGBB` pixels, as a softbuffer surface takes them.
pub struct Canvas<'a> {
    /// The pixels, row by row.
    pub pixels: &'a mut [u32],
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
}

/// The textures egui has set, and the drawing of its primitives.
#[derive(Default)]
pub struct Rasterizer {
    textures: HashMap<TextureId, Texture>,
}

impl Rasterizer {
    /// Applies new and changed textures (before drawing), taking them out of `delta`.
    pub fn set_textures(&mut self, delta: &mut TexturesDelta) {
        for (id, image_deltas) in delta.set.drain() {
            for image_delta in &image_deltas {
                self.set_texture(id, image_delta);
            }
        }
    }

    /// Forgets freed textures (after drawing), taking them out of `delta`.
    pub fn free_textures(&mut self, delta: &mut TexturesDelta) {
        for id in delta.free.drain() {
            self.textures.remove(&id);
        }
    }

    fn set_texture(&mut self, id: TextureId, delta: &ImageDelta) {
        let ImageData::Color(image) = &delta.image;
        match delta.pos {
            None => {
                self.textures.insert(
                    id,
                    Texture {
                        size: image.size,
                        pixels: image.pixels.clone(),
                        magnification: delta.options.magnification,
                    },
                );
            }
            Some([x0, y0]) => {
                let Some(texture) = self.textures.get_mut(&id) else {
                    return;
                };
                let [w, h] = image.size;
                let [tw, th] = texture.size;
                for y in 0..h.min(th.saturating_sub(y0)) {
                    for x in 0..w.min(tw.saturating_sub(x0)) {
                        texture.pixels[(y0 + y) * tw + x0 + x] = image.pixels[y * w + x];
                    }
                }
            }
        }
    }

    /// Clears the canvas to `background` and draws every primitive over it.
    pub fn paint(
        &self,
        canvas: &mut Canvas<'_>,
        background: Color32,
        primitives: &[ClippedPrimitive],
        pixels_per_point: f32,
    ) {
        let fill = pack(
            f32::from(background.r()),
            f32::from(background.g()),
            f32::from(background.b()),
        );
        canvas.pixels.fill(fill);
        for primitive in primitives {
            let Primitive::Mesh(mesh) = &primitive.primitive else {
                continue;
            };
            let Some(texture) = self.textures.get(&mesh.texture_id) else {
                continue;
            };
            let clip = primitive.clip_rect;
            let clip = [
                (clip.min.x * pixels_per_point).round().max(0.0) as usize,
                (clip.min.y * pixels_per_point).round().max(0.0) as usize,
                ((clip.max.x * pixels_per_point).round().max(0.0) as usize).min(canvas.width),
                ((clip.max.y * pixels_per_point).round().max(0.0) as usize).min(canvas.height),
            ];
            if clip[0] >= clip[2] || clip[1] >= clip[3] {
                continue;
            }
            draw_mesh(canvas, mesh, texture, clip, pixels_per_point);
        }
    }
}

fn pack(r: f32, g: f32, b: f32) -> u32 {
    let channel = |c: f32| c.round().clamp(0.0, 255.0) as u32;
    (channel(r) << 16) | (channel(g) << 8) | channel(b)
}

fn draw_mesh(
    canvas: &mut Canvas<'_>,
    mesh: &Mesh,
    texture: &Texture,
    clip: [usize; 4],
    pixels_per_point: f32,
) {
    for triangle in mesh.indices.chunks_exact(3) {
        let vertex = |i: u32| mesh.vertices.get(i as usize);
        let (Some(a), Some(b), Some(c)) = (
            vertex(triangle[0]),
            vertex(triangle[1]),
            vertex(triangle[2]),
        ) else {
            continue;
        };
        draw_triangle(canvas, [a, b, c], texture, clip, pixels_per_point);
    }
}

/// `(b - a) × (p - a)`: positive when `p` is inside for the triangle's winding (y grows down).
fn edge(a: [f32; 2], b: [f32; 2], p: [f32; 2]) -> f32 {
    (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0])
}

/// A pixel centre exactly on the edge `a → b` belongs to it when the edge is a top edge
/// (horizontal, interior below) or a left edge.
fn owns_boundary(a: [f32; 2], b: [f32; 2]) -> bool {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    (dy == 0.0 && dx > 0.0) || dy < 0.0
}

fn draw_triangle(
    canvas: &mut Canvas<'_>,
    vertices: [&Vertex; 3],
    texture: &Texture,
    clip: [usize; 4],
    pixels_per_point: f32,
) {
    let mut v = vertices;
    let position = |v: &Vertex| [v.pos.x * pixels_per_point, v.pos.y * pixels_per_point];
    let mut p = [position(v[0]), position(v[1]), position(v[2])];
    let mut area = edge(p[0], p[1], p[2]);
    if area == 0.0 || !area.is_finite() {
        return;
    }
    if area < 0.0 {
        p.swap(1, 2);
        v.swap(1, 2);
        area = -area;
    }
    let min_x = p.iter().map(|q| q[0]).fold(f32::INFINITY, f32::min);
    let max_x = p.iter().map(|q| q[0]).fold(f32::NEG_INFINITY, f32::max);
    let min_y = p.iter().map(|q| q[1]).fold(f32::INFINITY, f32::min);
    let max_y = p.iter().map(|q| q[1]).fold(f32::NEG_INFINITY, f32::max);
    let x0 = (min_x.floor().max(0.0) as usize).max(clip[0]);
    let x1 = ((max_x.ceil().max(0.0)) as usize).min(clip[2]);
    let y0 = (min_y.floor().max(0.0) as usize).max(clip[1]);
    let y1 = ((max_y.ceil().max(0.0)) as usize).min(clip[3]);
    if x0 >= x1 || y0 >= y1 {
        return;
    }
    let owns = [
        owns_boundary(p[1], p[2]),
        owns_boundary(p[2], p[0]),
        owns_boundary(p[0], p[1]),
    ];
    let colour = |v: &Vertex| {
        [
            f32::from(v.color.r()),
            f32::from(v.color.g()),
            f32::from(v.color.b()),
            f32::from(v.color.a()),
        ]
    };
    let colours = [colour(v[0]), colour(v[1]), colour(v[2])];
    let uvs = [v[0].uv, v[1].uv, v[2].uv];
    let uniform = colours[0] == colours[1] && colours[1] == colours[2];
    let inverse_area = 1.0 / area;
    // Most of a frame is flat colour: one colour and one texel (egui's white pixel) for the
    // whole triangle, so the source is the same at every pixel and is worked out once.
    let flat_texel =
        (uvs[0] == uvs[1] && uvs[1] == uvs[2]).then(|| texture.sample(uvs[0].x, uvs[0].y));
    let flat_source = match flat_texel {
        Some(texel) if uniform => {
            let mut src = [0.0f32; 4];
            for (i, channel) in src.iter_mut().enumerate() {
                *channel = colours[0][i] * texel[i] / 255.0;
            }
            Some(src)
        }
        _ => None,
    };
    if flat_source.is_some_and(|src| src.iter().all(|&c| c <= 0.0)) {
        return;
    }
    let opaque = flat_source
        .filter(|src| src[3] >= 255.0)
        .map(|src| pack(src[0], src[1], src[2]));
    // Edge functions step by these amounts from one pixel to the next along a row.
    let step = [
        -(p[2][1] - p[1][1]),
        -(p[0][1] - p[2][1]),
        -(p[1][1] - p[0][1]),
    ];
    for y in y0..y1 {
        let py = y as f32 + 0.5;
        let row = y * canvas.width;
        let first = [x0 as f32 + 0.5, py];
        let mut w = [
            edge(p[1], p[2], first),
            edge(p[2], p[0], first),
            edge(p[0], p[1], first),
        ];
        for x in x0..x1 {
            let inside = (0..3).all(|i| w[i] > 0.0 || (w[i] == 0.0 && owns[i]));
            if inside {
                let pixel = &mut canvas.pixels[row + x];
                if let Some(packed) = opaque {
                    *pixel = packed;
                } else {
                    let src = match flat_source {
                        Some(src) => src,
                        None => {
                            let b = [
                                w[0] * inverse_area,
                                w[1] * inverse_area,
                                w[2] * inverse_area,
                            ];
                            let texel = match flat_texel {
                                Some(texel) => texel,
                                None => texture.sample(
                                    b[0] * uvs[0].x + b[1] * uvs[1].x + b[2] * uvs[2].x,
                                    b[0] * uvs[0].y + b[1] * uvs[1].y + b[2] * uvs[2].y,
                                ),
                            };
                            let mut src = [0.0f32; 4];
                            for (i, channel) in src.iter_mut().enumerate() {
                                let vertex = if uniform {
                                    colours[0][i]
                                } else {
                                    b[0] * colours[0][i]
                                        + b[1] * colours[1][i]
                                        + b[2] * colours[2][i]
                                };
                                *channel = vertex * texel[i] / 255.0;
                            }
                            src
                        }
                    };
                    blend(pixel, src);
                }
            }
            for i in 0..3 {
                w[i] += step[i];
            }
        }
    }
}

/// `ONE, ONE_MINUS_SRC_ALPHA` of a premultiplied source over the pixel.
fn blend(pixel: &mut u32, src: [f32; 4]) {
    let keep = 1.0 - src[3] / 255.0;
    let dst = [
        ((*pixel >> 16) & 0xFF) as f32,
        ((*pixel >> 8) & 0xFF) as f32,
        (*pixel & 0xFF) as f32,
    ];
    *pixel = pack(
        src[0] + dst[0] * keep,
        src[1] + dst[1] * keep,
        src[2] + dst[2] * keep,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::epaint::{ClippedPrimitive, Mesh, Primitive};
    use egui::{Pos2, Rect, TextureOptions};
    use std::sync::Arc;

    fn white_texture() -> TexturesDelta {
        let mut delta = TexturesDelta::default();
        delta.set.insert(
            TextureId::default(),
            std::iter::once(ImageDelta::full(
                ImageData::Color(Arc::new(egui::ColorImage::new(
                    [1, 1],
                    vec![Color32::WHITE],
                ))),
                TextureOptions::LINEAR,
            ))
            .collect(),
        );
        delta
    }

    fn rect(colour: Color32, rect: Rect) -> ClippedPrimitive {
        let mut mesh = Mesh::default();
        mesh.add_colored_rect(rect, colour);
        ClippedPrimitive {
            clip_rect: Rect::EVERYTHING,
            primitive: Primitive::Mesh(mesh),
        }
    }

    fn paint(primitives: &[ClippedPrimitive], ppp: f32) -> Vec<u32> {
        let mut rasterizer = Rasterizer::default();
        rasterizer.set_textures(&mut white_texture());
        let mut pixels = vec![0u32; 8 * 8];
        let mut canvas = Canvas {
            pixels: &mut pixels,
            width: 8,
            height: 8,
        };
        rasterizer.paint(&mut canvas, Color32::BLACK, primitives, ppp);
        pixels
    }

    #[test]
    fn a_rectangle_covers_exactly_its_pixels_once() {
        let red = rect(
            Color32::from_rgb(255, 0, 0),
            Rect::from_min_max(Pos2::new(2.0, 2.0), Pos2::new(6.0, 5.0)),
        );
        let pixels = paint(&[red], 1.0);
        let covered: Vec<usize> = (0..64).filter(|&i| pixels[i] == 0xFF0000).collect();
        assert_eq!(covered.len(), 4 * 3, "{pixels:08X?}");
        assert!(
            covered
                .iter()
                .all(|i| (2..6).contains(&(i % 8)) && (2..5).contains(&(i / 8)))
        );
        // Half-transparent over it: blended once, so the shared diagonal is not darker.
        let half = Color32::from_rgba_premultiplied(0, 0, 128, 128);
        let pixels = paint(
            &[rect(
                half,
                Rect::from_min_max(Pos2::new(0.0, 0.0), Pos2::new(8.0, 8.0)),
            )],
            1.0,
        );
        assert!(pixels.iter().all(|&p| p == 0x000080), "{pixels:08X?}");
    }

    #[test]
    fn scale_and_clip_are_applied() {
        let mut green = rect(
            Color32::from_rgb(0, 255, 0),
            Rect::from_min_max(Pos2::new(0.0, 0.0), Pos2::new(4.0, 4.0)),
        );
        green.clip_rect = Rect::from_min_max(Pos2::new(0.0, 0.0), Pos2::new(1.0, 4.0));
        let pixels = paint(&[green], 2.0);
        let covered = pixels.iter().filter(|&&p| p == 0x00FF00).count();
        assert_eq!(covered, 2 * 8, "{pixels:08X?}");
    }
}
